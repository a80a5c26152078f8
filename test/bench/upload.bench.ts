import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import { KioskConfig } from '../../common/config'
import type { RegistrationView } from '../../common/contract'
import type { Kiosk } from '../../main/services/kiosk'
import { createKiosk } from '../../main/services/kiosk'
import { createMemoryLogger } from '../../main/services/logger'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { createPhotosRepository } from '../../main/services/store/photos'
import { fakeJpeg } from '../central/fixtures'
import { createDemoPosts, DEMO_POST_ID } from '../central/server'
import { makeDraft, nikFor } from '../fixtures/drafts'
import type { BenchSection } from './measure'
import { ms } from './measure'

const gzip = promisify(gzipCallback)
const RECORDS = Number(process.env.POSKO_BENCH_UPLOAD ?? 10_000)
const PER_RECORD_SAMPLE = Math.min(1_000, RECORDS)
/** A face photo after the quality gate is 10–45 KB (docs/photo-thresholds.md); 30 KB is a fair middle. */
const PHOTO_BYTES = 30 * 1024

/** A kiosk with `n` queued records, each with its own (synthetic) face photo, ready to upload to `centralUrl`. */
async function preparedKiosk(
  n: number,
  centralUrl: string,
  token: string,
  upload: { maxRecords: number; photoConcurrency: number; offset: number; photos?: boolean },
): Promise<{ kiosk: Kiosk; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-bench-up-'))
  const kiosk = createKiosk({
    dataDir,
    config: KioskConfig.parse({ postId: DEMO_POST_ID, postName: 'Bench', centralUrl, requirePhotos: false }),
    version: 'bench',
    logger: createMemoryLogger(10),
    resourcesDir: resolve('resources'),
    centralToken: token,
    demoOperator: { id: 'bench', name: 'Bench', pin: '246813' },
    retentionSchedule: false,
    upload: { autoStart: false, limits: { maxRecords: upload.maxRecords }, photoConcurrency: upload.photoConcurrency },
  })
  await kiosk.ready
  await kiosk.sessions.signIn('bench', '246813')
  // The photo pipeline has its own bench; here photos are stored the way the pipeline stores them, sealed.
  const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
  const photos = createPhotosRepository(kiosk.db)
  kiosk.db.pragma('synchronous = OFF')
  for (let i = 0; i < n; i++) {
    let face = null
    if (upload.photos !== false) {
      const photo = fakeJpeg(`bench-${upload.offset + i}`, PHOTO_BYTES)
      photos.insert({ sha256: photo.sha256, kind: 'face', verdict: 'pass', sealed: vault.seal(photo.bytes, `photo:${photo.sha256}`), bytes: photo.bytes.length, createdAt: new Date().toISOString() })
      face = { sha256: photo.sha256 }
    }
    const r = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(upload.offset + i), photos: { face, card: null } }) })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
  }
  kiosk.db.pragma('synchronous = FULL')
  return { kiosk, dataDir }
}

async function drain(kiosk: Kiosk): Promise<number> {
  const t0 = performance.now()
  for (let round = 0; round < 10_000 && kiosk.uploader.state().pending > 0; round++) await kiosk.uploader.runOnce()
  if (kiosk.uploader.state().pending > 0) throw new Error(`upload did not finish: ${JSON.stringify(kiosk.uploader.state())}`)
  return performance.now() - t0
}

/** The same bytes over plain HTTP on loopback to a server that only reads them: the ceiling for any uploader. */
async function rawTransfer(bodies: Buffer[]): Promise<number> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined)
    req.on('end', () => res.end('{}'))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const t0 = performance.now()
  for (const body of bodies) await (await fetch(url, { method: 'POST', body: new Uint8Array(body) })).text()
  const elapsed = performance.now() - t0
  server.close()
  return elapsed
}

/** Central in its own process, as on a real network: its CPU is not the kiosk's, and its work is not in our lag. */
async function spawnCentral(dataDir: string): Promise<{ url: string; stop: () => void; accepted: () => number }> {
  const child = spawn(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), resolve('test/central/cli.ts'), '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /^URL: (\S+)/m.exec(out)
      if (m) ok(m[1]!.replace(/\/$/, ''))
    })
    child.on('exit', (code) => fail(new Error(`central exited ${code}`)))
  })
  const accepted = () => {
    const db = new Database(join(dataDir, 'central.sqlite'), { readonly: true })
    try {
      return db.prepare("SELECT count(*) FROM results WHERE status = 'accepted'").pluck().get() as number
    } finally {
      db.close()
    }
  }
  return { url, stop: () => child.kill('SIGTERM'), accepted }
}

export async function run(): Promise<BenchSection> {
  const centralDir = mkdtempSync(join(tmpdir(), 'posko-bench-central-'))
  const { posts } = createDemoPosts(centralDir)
  const central = await spawnCentral(centralDir)
  const token = posts.find((p) => p.postId === DEMO_POST_ID)!.token

  // Batched: the real uploader, 200 records per batch, photos first, with the event loop watched.
  const batched = await preparedKiosk(RECORDS, central.url, token, { maxRecords: 200, photoConcurrency: 4, offset: 0 })
  const lag = monitorEventLoopDelay({ resolution: 5 })
  lag.enable()
  const batchedMs = await drain(batched.kiosk)
  lag.disable()
  const accepted = central.accepted()
  // What went over the wire, rebuilt for the raw-transfer comparison: every photo and the gzipped batches.
  const ids = batched.kiosk.db.prepare('SELECT id FROM registrations ORDER BY id').pluck().all() as string[]
  const records: RegistrationView['record'][] = []
  for (const id of ids) {
    const view = await batched.kiosk.call('registration.get', { id })
    if (view.ok) records.push((view.value as RegistrationView).record)
  }
  const bodies: Buffer[] = []
  for (let i = 0; i < records.length; i++) bodies.push(fakeJpeg(`bench-${i}`, PHOTO_BYTES).bytes)
  for (let i = 0; i < records.length; i += 200) bodies.push(await gzip(Buffer.from(JSON.stringify({ records: records.slice(i, i + 200) }))))
  const rawMs = await rawTransfer(bodies)
  const wireMb = bodies.reduce((a, b) => a + b.length, 0) / 2 ** 20
  batched.kiosk.close()
  rmSync(batched.dataDir, { recursive: true, force: true })

  // The naive uploader: each record on its own (its photo, then a batch of one), one request at a time.
  const single = await preparedKiosk(PER_RECORD_SAMPLE, central.url, token, { maxRecords: 1, photoConcurrency: 1, offset: RECORDS })
  const singleMs = await drain(single.kiosk)
  single.kiosk.close()
  rmSync(single.dataDir, { recursive: true, force: true })

  // The same comparison without photos: what batching the records themselves buys.
  const recordsOnly = await preparedKiosk(RECORDS, central.url, token, { maxRecords: 200, photoConcurrency: 4, offset: 2 * RECORDS, photos: false })
  const recordsOnlyMs = await drain(recordsOnly.kiosk)
  recordsOnly.kiosk.close()
  rmSync(recordsOnly.dataDir, { recursive: true, force: true })
  const recordsSingle = await preparedKiosk(PER_RECORD_SAMPLE, central.url, token, { maxRecords: 1, photoConcurrency: 1, offset: 3 * RECORDS, photos: false })
  const recordsSingleMs = await drain(recordsSingle.kiosk)
  recordsSingle.kiosk.close()
  rmSync(recordsSingle.dataDir, { recursive: true, force: true })
  central.stop()
  rmSync(centralDir, { recursive: true, force: true })

  const batchedRate = RECORDS / (batchedMs / 1000)
  const singleRate = PER_RECORD_SAMPLE / (singleMs / 1000)
  const recordsRate = RECORDS / (recordsOnlyMs / 1000)
  const recordsSingleRate = PER_RECORD_SAMPLE / (recordsSingleMs / 1000)
  const lagP99 = lag.percentile(99) / 1e6
  return {
    title: `Bulk upload to the reference central on loopback (${RECORDS.toLocaleString('en')} records, each with a ${PHOTO_BYTES / 1024} KB photo)`,
    notes:
      `Central runs in its own process on the same 2-core machine (it competes for the CPU). Photos go first (PUT by hash), then ` +
      `records in gzipped batches of 200 with an Idempotency-Key. ${accepted.toLocaleString('en')} records accepted by central. ` +
      `Per-record upload measured on ${PER_RECORD_SAMPLE.toLocaleString('en')} records (a batch of one each, its photo first, one request at a time). ` +
      `With photos the API needs one PUT per photo whatever the batching, so that ratio is bounded by the photo PUTs; the records-only figure shows what batching the records buys. Raw transfer: the same ${wireMb.toFixed(0)} MB ` +
      `(photos + gzipped batch bodies) POSTed sequentially to a loopback server that only reads them.`,
    figures: [
      { name: 'batched upload', value: `${(batchedMs / 1000).toFixed(1)} s, ${batchedRate.toFixed(0)} records/s` },
      { name: 'one request per record', value: `${singleRate.toFixed(0)} records/s` },
      { name: 'with photos: batched vs per-record', value: `${(batchedRate / singleRate).toFixed(1)}×`, goal: '≥ 10×', met: batchedRate / singleRate >= 10 },
      { name: 'records only (no photos): batched vs per-record', value: `${(recordsRate / recordsSingleRate).toFixed(1)}× (${recordsRate.toFixed(0)} vs ${recordsSingleRate.toFixed(0)} records/s)`, goal: '≥ 10×', met: recordsRate / recordsSingleRate >= 10 },
      { name: 'vs raw loopback transfer of the same bytes',  value: `${(rawMs / batchedMs).toFixed(2)}× (raw ${ms(rawMs)})`, goal: '≥ 0.5×', met: rawMs / batchedMs >= 0.5 },
      { name: 'event-loop lag p99 during upload', value: ms(lagP99), goal: '≤ 20 ms', met: lagP99 <= 20 },
    ],
  }
}
