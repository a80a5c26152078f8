import { mkdtempSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { KioskConfig } from '../../../common/config'
import { createMemoryLogger } from '../../../main/services/platform/logger'
import type { TestKiosk } from '../../fixtures/kiosk-kit'
import { createTestKiosk } from '../../fixtures/kiosk-kit'
import { SURABAYA, startTestCentral } from '../../central/testkit'

/**
 * Child process for the mDNS test (network-mdns.test.ts), run inside a network namespace of its own where loopback
 * carries multicast: two desks enrolled to a reference central find each other by DNS-SD alone (no configured
 * addresses), one stops and is shown gone, comes back and is found again. Prints one JSON line of what it saw.
 */
const say = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`)
const central = await startTestCentral()
const config = () => KioskConfig.parse({ postId: SURABAYA.postId, postName: 'mDNS', centralUrl: central.central.url, requirePhotos: false })
const open = (dataDir: string, network?: boolean) =>
  createTestKiosk({
    dataDir,
    resourcesDir: resolve('resources'),
    version: 'mdns',
    logger: createMemoryLogger(10),
    config: config(),
    retentionSchedule: false,
    heartbeat: { autoStart: false, afterUploads: false },
    upload: { autoStart: false },
    ...(network ? { network: { host: '0.0.0.0', port: 0, mdns: true, roundMs: 200, goneAfterMs: 2000 } } : {}),
  })

async function enrol(): Promise<{ dataDir: string; kioskId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-mdns-'))
  const k = open(dataDir)
  await k.sessions.createOperator({ operatorId: 'it-1', name: 'IT', role: 'it', pin: '246813' })
  await k.sessions.signIn('it-1', '246813')
  const r = (await k.call('enrolment.enrol', { centralUrl: central.central.url, postId: SURABAYA.postId, code: central.central.issueEnrolmentCode(SURABAYA.postId).code })) as {
    ok: boolean
    value: { kioskKeyId: string }
  }
  if (!r.ok) throw new Error(`enrolment failed: ${JSON.stringify(r)}`)
  k.close()
  return { dataDir, kioskId: r.value.kioskKeyId }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}

const state = (k: TestKiosk, id: string) => k.network.peers().find((p) => p.kioskId === id)
const a0 = await enrol()
const b0 = await enrol()
const a = open(a0.dataDir, true)
let b = open(b0.dataDir, true)
// Both rosters list both desks.
await a.heartbeat.send()
await b.heartbeat.send()
await a.heartbeat.send()
await a.network.start()
await b.network.start()
const found = await until(() => state(a, b0.kioskId)?.state === 'connected' && state(b, a0.kioskId)?.state === 'connected', 10_000)
// Whichever desk dials, the other sees it as `inbound`, and when both dial at once both may end up so. Neither desk
// has a configured address, so every dial came from an mDNS answer: any source but `config` means found by mDNS.
const sources = [state(a, b0.kioskId)?.source, state(b, a0.kioskId)?.source]
const source = !found ? null : sources.includes('config') ? 'config' : 'mdns'
b.close()
const gone = await until(() => state(a, b0.kioskId)?.state === 'gone', 10_000)
b = open(b0.dataDir, true)
await b.network.start()
const back = await until(() => state(a, b0.kioskId)?.state === 'connected' && state(b, a0.kioskId)?.state === 'connected', 15_000)
say({ found, source, gone, back })
a.close()
b.close()
await central.dispose()
process.exit(0)
