import { KioskConfig } from '../../../common/config'
import { writeSync } from 'node:fs'
import { createTestKiosk } from '../../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../../main/services/platform/logger'

/**
 * Child process for the uploader kill test: runs the real uploader against the reference central until its queue
 * is empty, preparing batches in the upload worker as the app does. The parent SIGKILLs it at random points:
 * mid-batch, between "central committed" and "kiosk marked", between a photo pack and its batch.
 */
const [dataDir, resourcesDir, centralUrl, token, workerScript] = process.argv.slice(2) as [string, string, string, string, string]
const kiosk = createTestKiosk({
  dataDir,
  resourcesDir,
  version: 'kill',
  logger: createMemoryLogger(10),
  config: KioskConfig.parse({ postId: 'JT-3578-01', postName: 'Kill', centralUrl, requirePhotos: false }),
  centralToken: token,
  upload: { autoStart: false, limits: { maxRecords: 10 }, backoff: { baseMs: 1, capMs: 5, breakerThreshold: 1000 }, workerScript },
})
writeSync(1, 'ready\n')
for (let round = 0; round < 10_000 && kiosk.uploader.state().pending > 0; round++) await kiosk.uploader.runOnce()
writeSync(1, 'done\n')
kiosk.close()
