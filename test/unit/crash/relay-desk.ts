import { writeSync } from 'node:fs'
import { KioskConfig } from '../../../common/config'
import { createMemoryLogger } from '../../../main/services/platform/logger'
import { makeDraft, nikFor } from '../../fixtures/drafts'
import { createTestKiosk } from '../../fixtures/kiosk-kit'

/**
 * Child process for the relay's kill test (network-relay-kill.test.ts): one desk of a three-desk post, enrolled
 * before by the parent, on its own TLS port with the other two as configured peers, its uploader running. As the
 * origin (`submit`) it also registers a record every few tens of milliseconds and prints each id once
 * `registration.submit` answered (committed); its central is a dead port, so its records reach central only through
 * the others' relay. The parent SIGKILLs it at random points: mid-commit, mid-backup, mid-ask, mid-relay.
 */
const [dataDir, resourcesDir, postId, port, peers, role, start, pin] = process.argv.slice(2) as [string, string, string, string, string, string, string, string]
const logger = createMemoryLogger(10)
const kiosk = createTestKiosk({
  dataDir,
  resourcesDir,
  version: 'kill',
  logger,
  config: KioskConfig.parse({ postId, postName: 'Kill', centralUrl: 'http://127.0.0.1:9', requirePhotos: false, network: { port: Number(port), mdns: false, peers: peers.split(',') } }),
  retentionSchedule: false,
  heartbeat: { autoStart: false, afterUploads: false },
  upload: { autoStart: true, debounceMs: 50, pollMs: 1000 },
  network: { host: '127.0.0.1', port: Number(port), mdns: false, roundMs: 100, goneAfterMs: 3000 },
})
if ((await kiosk.network.start()) === null) {
  writeSync(2, 'the network did not start\n')
  process.exit(2)
}
writeSync(1, 'ready\n')
if (role === 'submit') {
  const ctx = { transport: 'test' } as const
  const signedIn = await kiosk.dispatch('session.signIn', { operatorId: 'sup-1', pin }, ctx)
  if (!signedIn.ok) {
    writeSync(2, `${JSON.stringify(signedIn.error)}\n`)
    process.exit(2)
  }
  for (let i = Number(start); ; i++) {
    const result = await kiosk.dispatch('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) }, ctx)
    if (!result.ok) {
      writeSync(2, `${JSON.stringify(result.error)}\n`)
      process.exit(2)
    }
    writeSync(1, `rec ${(result.value as { id: string }).id}\n`)
    await new Promise((resolve) => setTimeout(resolve, 40))
  }
}
