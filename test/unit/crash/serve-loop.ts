import { writeSync } from 'node:fs'
import { KioskConfig } from '../../../common/config'
import { createMemoryLogger } from '../../../main/services/platform/logger'
import { createTestKiosk } from '../../fixtures/kiosk-kit'

/**
 * Child process for the post log's kill test (network-log-kill.test.ts), the serving side: a desk whose log another
 * desk pulls, listening on the post network's TLS port until the parent SIGKILLs it mid-transfer (mid-page, between
 * pages). It prints its port when it listens.
 */
const [dataDir, resourcesDir, postId, port] = process.argv.slice(2) as [string, string, string, string]
const logger = createMemoryLogger(10)
const kiosk = createTestKiosk({
  dataDir,
  resourcesDir,
  version: 'kill',
  logger,
  config: KioskConfig.parse({ postId, postName: 'Kill', centralUrl: 'http://127.0.0.1:9', requirePhotos: false, network: { port: Number(port), mdns: false, peers: [] } }),
  retentionSchedule: false,
  heartbeat: { autoStart: false, afterUploads: false },
  upload: { autoStart: false },
  // Its own rounds would dial nobody (no peers configured); it only answers.
  network: { host: '127.0.0.1', port: Number(port), mdns: false, roundMs: 60_000 },
})
const listening = await kiosk.network.start()
if (listening === null) {
  writeSync(2, 'the network did not start\n')
  process.exit(2)
}
writeSync(1, `ready ${listening}\n`)
