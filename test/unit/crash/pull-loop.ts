import { writeSync } from 'node:fs'
import { KioskConfig } from '../../../common/config'
import { connectToPeer } from '../../../main/services/network/channel'
import { createPeerList } from '../../../main/services/network/peers'
import { createMemoryLogger } from '../../../main/services/platform/logger'
import { createTestKiosk } from '../../fixtures/kiosk-kit'

/**
 * Child process for the post log's kill test (network-log-kill.test.ts): a desk pulling another desk's log page by
 * page over the real TLS channel until it has caught up. The parent SIGKILLs it at random points: mid-page, between
 * a page's arrival and its commit, between pages.
 */
const [dataDir, resourcesDir, postId, kioskId, host, port] = process.argv.slice(2) as [string, string, string, string, string, string]
const logger = createMemoryLogger(10)
const kiosk = createTestKiosk({
  dataDir,
  resourcesDir,
  version: 'kill',
  logger,
  config: KioskConfig.parse({ postId, postName: 'Kill', centralUrl: 'http://127.0.0.1:9', requirePhotos: false }),
  retentionSchedule: false,
  heartbeat: { autoStart: false, afterUploads: false },
  upload: { autoStart: false },
})
const now = () => new Date()
const connection = await connectToPeer(
  { identity: () => kiosk.postTrust.identity(), roster: () => kiosk.postTrust.roster(), postId, kioskId: () => kioskId, peers: createPeerList({ logger, now }), logger, now },
  { host, port: Number(port), source: 'config' },
)
writeSync(1, 'ready\n')
while ((await kiosk.postLog.pull(connection)) > 0) {
  // until a visit stores nothing new
}
writeSync(1, 'done\n')
connection.close()
kiosk.close()
process.exit(0)
