import { KioskConfig } from '../../../common/config'
import { writeSync } from 'node:fs'
import { createKiosk } from '../../../main/services/kiosk'
import { createMemoryLogger } from '../../../main/services/platform/logger'
import { makeDraft, nikFor } from '../../fixtures/drafts'

/**
 * Child process for the crash test: submits registrations as fast as it can and prints each receipt only after
 * `registration.submit` answered, i.e. exactly when the UI would show it. The parent SIGKILLs it at random.
 */
const [dataDir, resourcesDir, startArg] = process.argv.slice(2) as [string, string, string]
const kiosk = createKiosk({
  dataDir,
  resourcesDir,
  version: 'crash',
  logger: createMemoryLogger(10),
  demoOperator: { id: 'crash', name: 'Crash Test', pin: '246813' },
  config: KioskConfig.parse({ postId: 'JT-3578-01', postName: 'Crash', centralUrl: 'http://127.0.0.1:9', requirePhotos: false }),
})
await kiosk.ready
// Through the app's own surface: the dispatcher, as the renderer signs in.
const ctx = { transport: 'test' } as const
const signedIn = await kiosk.dispatch('session.signIn', { operatorId: 'crash', pin: '246813' }, ctx)
if (!signedIn.ok) throw new Error(JSON.stringify(signedIn.error))
// The screen has the region index loaded (the NIK and address steps use it) before anything reaches "Kirim"; the
// submit's warning check uses the same index, so the first submit here would otherwise also pay for parsing it.
const warmed = await kiosk.dispatch('regions.children', { parent: '35' }, ctx)
if (!warmed.ok) throw new Error(JSON.stringify(warmed.error))
writeSync(1, 'ready\n')
let i = Number(startArg)
for (;;) {
  const result = await kiosk.dispatch('registration.submit', { draft: makeDraft({ nik: nikFor(i++) }) }, ctx)
  if (!result.ok) {
    writeSync(2, `${JSON.stringify(result.error)}\n`)
    process.exit(2)
  }
  const { receiptNo, id } = result.value as { receiptNo: string; id: string }
  writeSync(1, `${receiptNo} ${id}\n`)
}
