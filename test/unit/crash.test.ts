import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RegistrationView } from '../../common/records'
import { mulberry32 } from '../fixtures/prng'
import { bundleChild } from './crash/bundle'
import { openKiosk, tempDir } from './helpers'

/** 50 in `npm test` (each trial starts a kiosk: ~0.6 s); `npm run soak` runs 1,000. */
const TRIALS = Number(process.env.POSKO_CRASH_TRIALS ?? 50)
let childScript = ''

beforeAll(async () => {
  childScript = await bundleChild('test/unit/crash/submit-loop.ts')
}, 60_000)

/** Runs the child until it has acknowledged something, then kills it at a random moment. */
function runAndKill(dataDir: string, start: number, rng: () => number): Promise<string[]> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [childScript, dataDir, resolve('resources'), String(start)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    let armed = false
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (!armed && out.includes('ready\n')) {
        armed = true
        setTimeout(() => child.kill('SIGKILL'), 5 + Math.floor(rng() * 60))
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited ${code}: ${err}`))
      // A line cut by the kill was never a complete acknowledgement.
      resolveRun(out.split('\n').filter((l) => / [0-9a-f-]{36}$/.test(l)))
    })
  })
}

describe('crash safety', () => {
  it(`every acknowledged receipt survives SIGKILL at random moments (${TRIALS} trials)`, async () => {
    const seed = Number(process.env.POSKO_SEED ?? Date.now() % 100000)
    const rng = mulberry32(seed)
    const dataDir = tempDir('posko-crash-')
    const acked: Array<[string, string]> = []
    for (let trial = 0; trial < TRIALS; trial++) {
      // Each trial starts far past the previous one's NIKs: a record committed but not acknowledged stays.
      const lines = await runAndKill(dataDir, trial * 10_000, rng)
      for (const line of lines) acked.push(line.split(' ') as [string, string])
    }
    expect(acked.length, `seed ${seed}`).toBeGreaterThan(TRIALS)

    const { kiosk } = openKiosk({ dataDir })
    expect(kiosk.store.integrity()).toBe('ok')
    for (const [receiptNo, id] of acked) {
      const found = await kiosk.call('registration.find', { query: receiptNo })
      expect(found, `seed ${seed}: ${receiptNo}`).toMatchObject({ ok: true, value: { results: [{ id, receiptNo }] } })
    }
    // Nothing half-written: every row (acknowledged or not) decrypts, and record and outbox match one-to-one.
    const ids = kiosk.store.records().map((r) => r.id)
    for (const id of ids) {
      const view = await kiosk.call('registration.get', { id })
      expect(view.ok && (view.value as RegistrationView).record.id, `seed ${seed}`).toBe(id)
    }
    // Outbox rows without a record, plus records without an outbox row.
    const queued = kiosk.store.outbox().map((o) => o.recordId)
    const [recordSet, queuedSet] = [new Set(ids), new Set(queued)]
    const orphans = queued.filter((id) => !recordSet.has(id)).length + ids.filter((id) => !queuedSet.has(id)).length
    expect(orphans, `seed ${seed}`).toBe(0)
  }, Math.max(300_000, TRIALS * 4000))
})
