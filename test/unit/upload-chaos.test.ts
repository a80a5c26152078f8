import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import type { RegistrationSummary, RegistrationView } from '../../common/records'
import type { Result } from '../../common/result'
import type { Central } from '../central/server'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { storeFakePhoto } from '../fixtures/stored-photos'

/** 25 in `npm test`; `npm run soak` raises it to 1,000 (and the queue with it, so the late trials still have work to be killed in). */
const KILL_TRIALS = Number(process.env.POSKO_KILL_TRIALS ?? 25)
import { mulberry32 } from '../fixtures/prng'
import { bundleChild } from './crash/bundle'
import { demoCentral, firstBatchFault, manualClock, openKiosk, tempDir } from './helpers'

const central = (faults: string) => demoCentral({ faults })

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

type KioskHandle = ReturnType<typeof openKiosk>['kiosk']

/** Staff's part of the loop: records central rejected are "fixed" (resubmitted as they are) and go back in the queue. */
async function resendRejected(kiosk: KioskHandle): Promise<number> {
  const { results } = value<{ results: RegistrationSummary[] }>(await kiosk.call('registration.listRejected'))
  for (const r of results) {
    const { record } = value<RegistrationView>(await kiosk.call('registration.get', { id: r.id }))
    const { id: _id, receiptNo: _r, postId: _p, operatorId: _o, createdAt: _c, selfService: _s, ...draft } = record
    value(await kiosk.call('registration.update', { id: r.id, draft }))
  }
  return results.length
}

/** Queues n registrations; every third carries a stored face photo, so photo packs go through the faults too. */
async function queueWithPhotos(handle: { kiosk: KioskHandle; dataDir: string }, n: number): Promise<number> {
  const vault = createVault(createFileKeyProvider(handle.dataDir).loadOrCreate())
  let photos = 0
  for (let i = 0; i < n; i++) {
    const face = i % 3 === 0 ? { sha256: storeFakePhoto(handle.kiosk.store.connection(), vault, `chaos-${i}`, 4096).sha256 } : null
    if (face) photos++
    value(await handle.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i), photos: { face, card: null } }) }))
  }
  return photos
}

/** Central and kiosk agree: central holds each record (and photo) exactly once, the kiosk shows central's verdict and id. */
function expectAgreement(kiosk: KioskHandle, c: Central, n: number, seed: number, photos: number): void {
  expect(c.db.prepare('SELECT count(*) FROM photos').pluck().get(), `seed ${seed}`).toBe(photos)
  expect(kiosk.store.photos().filter((p) => p.uploadedAt === null).length, `seed ${seed}`).toBe(0)
  expect(c.db.prepare('SELECT count(*) AS rows, count(DISTINCT record_id) AS ids FROM registrations').get(), `seed ${seed}`).toEqual({ rows: n, ids: n })
  const kioskRows = kiosk.store
    .records()
    .map((r) => ({ id: r.id, state: r.state, central_id: r.centralId }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const centralRows = new Map(
    (c.db.prepare('SELECT record_id, central_id FROM registrations').all() as Array<{ record_id: string; central_id: string }>).map((r) => [r.record_id, r.central_id]),
  )
  expect(kioskRows).toHaveLength(n)
  for (const row of kioskRows) {
    expect(row.state, `seed ${seed} ${row.id}`).toBe('accepted')
    expect(row.central_id, `seed ${seed} ${row.id}`).toBe(centralRows.get(row.id))
  }
  expect(kiosk.store.count('outbox')).toBe(0)
}

describe('exactly once under chaos', () => {
  it('2,000 records through a central injecting ≥30 % faults of every kind arrive exactly once', async () => {
    const seed = Number(process.env.POSKO_SEED ?? Date.now() % 100000)
    // 33 % of requests fail in some way: every fault kind the reference central knows.
    const faults = `latency=0-3,500=0.04,502=0.03,503=0.03,429=0.03,drop-before=0.04,drop-after=0.05,truncate=0.04,captive=0.03,partial=0.03,slow=0.01,slow-ms=30,retry-after=0,seed=${seed}`
    const { central: c, token } = await central(faults)
    // The first batch is always partially rejected, so the staff fix-and-resend path is exercised in every run.
    const handle = openKiosk({
      config: { centralUrl: c.url },
      centralToken: token,
      upload: { clock: manualClock(), random: mulberry32(seed), limits: { maxRecords: 50 }, transport: firstBatchFault('partial') },
    })
    const { kiosk } = handle
    const n = 2000
    const photos = await queueWithPhotos(handle, n)

    let rounds = 0
    let resent = 0
    while (kiosk.uploader.state().pending > 0 || kiosk.store.countInState('rejected') !== 0) {
      if (++rounds > 500) throw new Error(`no convergence after 500 rounds (seed ${seed})`)
      await kiosk.uploader.runOnce()
      resent += await resendRejected(kiosk)
    }
    expect(resent, 'partial rejections happened and were resent').toBeGreaterThan(0)
    expectAgreement(kiosk, c, n, seed, photos)
  }, 180_000)

  it(`the uploader SIGKILLed at random points across ${KILL_TRIALS} trials loses and duplicates nothing`, async () => {
    const seed = Number(process.env.POSKO_SEED ?? Date.now() % 100000)
    const rng = mulberry32(seed)
    const child = await bundleChild('test/unit/crash/upload-loop.ts')
    const { central: c, token } = await central(`latency=2-10,drop-after=0.1,truncate=0.05,seed=${seed}`)
    const dataDir = tempDir('posko-kill-')
    const n = Math.max(500, KILL_TRIALS * 10)
    const first = openKiosk({ dataDir, config: { centralUrl: c.url } })
    const photos = await queueWithPhotos(first, n)
    first.close()

    let killed = 0
    for (let trial = 0; trial < KILL_TRIALS; trial++) {
      const outcome = await new Promise<'killed' | 'done'>((resolveTrial, reject) => {
        const proc = spawn(process.execPath, [child, dataDir, resolve('resources'), c.url, token, inject('uploadWorker')], { stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        let err = ''
        proc.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out === 'ready\n') setTimeout(() => proc.kill('SIGKILL'), 5 + Math.floor(rng() * 80))
        })
        proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
        proc.on('exit', (code, signal) => {
          if (signal === 'SIGKILL') resolveTrial('killed')
          else if (code === 0) resolveTrial('done')
          else reject(new Error(`child failed (${code}): ${err}`))
        })
      })
      if (outcome === 'killed') killed++
    }
    expect(killed, `seed ${seed}`).toBeGreaterThanOrEqual(KILL_TRIALS / 2)

    // Restart once more, to the end, then compare with central.
    const last = openKiosk({ dataDir, config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock() } })
    for (let round = 0; round < 200 && last.kiosk.uploader.state().pending > 0; round++) await last.kiosk.uploader.runOnce()
    expectAgreement(last.kiosk, c, n, seed, photos)
  }, Math.max(240_000, KILL_TRIALS * 5000))
})

