import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { v7 as uuidv7 } from 'uuid'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism, tmpdir } from 'node:os'
import { promisify } from 'node:util'
import { gunzipSync, gzip as gzipCallback } from 'node:zlib'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { KioskConfig } from '../../common/config'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import type { EncodedBatch, EncodedPhotoPack } from '../../main/services/central/client'
import { createCentralClient } from '../../main/services/central/client'
import { DEFAULT_PACK_LIMITS, photoPacks, prepareBatch } from '../../main/services/upload/prepare'
import { DEFAULT_LIMITS } from '../../main/services/upload/uploader'
import { createOutboxRepository } from '../../main/services/store/outbox'
import { createBatchReader } from '../../main/services/store/batch-reader'
import { createConsoleLogger, createMemoryLogger } from '../../main/services/platform/logger'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { createDemoPosts, DEMO_POST_ID } from '../central/server'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { storeFakePhoto } from '../fixtures/stored-photos'
import { buildUploadWorker } from '../fixtures/upload-worker'
import type { BenchSection } from './measure'
import { ms, percentile } from './measure'

const gzip = promisify(gzipCallback)
const RECORDS = Number(process.env.POSKO_BENCH_UPLOAD ?? 10_000)
const PER_RECORD_SAMPLE = Math.min(1_000, RECORDS)
/** A face photo after the quality gate is 10–45 KB (docs/photo-thresholds.md); 30 KB is a fair middle. */
export const PHOTO_BYTES = 30 * 1024

const REPEATS = Number(process.env.POSKO_BENCH_REPEATS ?? 3)

export interface UploadOptions {
  maxRecords: number
  photoConcurrency: number
  /** Batches prepared ahead (the uploader's default when unset); 0 is one request at a time. */
  lookahead?: number
  workerScript?: string
}

function kioskOptions(dataDir: string, centralUrl: string, token: string, upload: UploadOptions) {
  return {
    dataDir,
    config: KioskConfig.parse({ postId: DEMO_POST_ID, postName: 'Bench', centralUrl, requirePhotos: false }),
    version: 'bench',
    // POSKO_BENCH_LOG=1: the kiosk's log (debug: each photo pack's bytes, time and outcome) on stderr.
    logger: process.env.POSKO_BENCH_LOG ? createConsoleLogger('debug') : createMemoryLogger(10),
    resourcesDir: resolve('resources'),
    centralToken: token,
    demoOperator: { id: 'bench', name: 'Bench', pin: '246813' },
    retentionSchedule: false,
    upload: {
      autoStart: false,
      limits: { maxRecords: upload.maxRecords },
      photoConcurrency: upload.photoConcurrency,
      lookahead: upload.lookahead,
      workerScript: upload.workerScript,
    },
  }
}

/**
 * A closed kiosk data dir with `n` queued records, each with its own (synthetic) face photo unless `photos` is
 * false: the template every measured run starts from a copy of, so repeated runs upload the very same queue.
 */
export async function prefill(n: number, offset: number, photos = true): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-bench-up-'))
  const kiosk = createTestKiosk(kioskOptions(dataDir, 'http://127.0.0.1:9', 'unused', { maxRecords: 200, photoConcurrency: 2 }))
  await kiosk.ready
  await kiosk.sessions.signIn('bench', '246813')
  // The photo pipeline has its own bench; here photos are stored the way the pipeline stores them, sealed.
  const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
  kiosk.setDurability('off')
  for (let i = 0; i < n; i++) {
    const face = photos ? { sha256: storeFakePhoto(kiosk.store.connection(), vault, `bench-${offset + i}`, PHOTO_BYTES).sha256 } : null
    const r = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(offset + i), photos: { face, card: null } }) })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
  }
  kiosk.setDurability('full')
  // Closing checkpoints the WAL into the file, so a copy is the whole queue.
  kiosk.close()
  return dataDir
}

/** A kiosk on a fresh copy of `template`, uploading to `centralUrl`. */
export async function openCopy(template: string, centralUrl: string, token: string, upload: UploadOptions): Promise<{ kiosk: TestKiosk; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-bench-up-'))
  cpSync(template, dataDir, { recursive: true })
  // The copy's pages are written without fsync: flush them now, or the first checkpoint of the timed upload pays.
  execFileSync('sync')
  const kiosk = createTestKiosk(kioskOptions(dataDir, centralUrl, token, upload))
  await kiosk.ready
  return { kiosk, dataDir }
}

interface Run {
  ms: number
  centralCpu: number | null
  kioskCpu: number
  lagP99: number
  lagMax: number
  accepted: number
}

/**
 * Directories the bench made, removed at its very end: deleting hundreds of MB mid-bench (ext4 discard) slowed the
 * fsyncs of the runs that followed.
 */
const leftovers: string[] = []

/** Uploads a fresh copy of `template` to a fresh central in its own process, watching main's event-loop lag. */
async function measure(template: string, upload: UploadOptions): Promise<Run> {
  const { central, token } = await freshCentral()
  const { kiosk, dataDir } = await openCopy(template, central.url, token, upload)
  leftovers.push(dataDir)
  const lag = monitorEventLoopDelay({ resolution: 5 })
  const centralCpu0 = central.cpuSeconds()
  const kioskCpu0 = process.cpuUsage()
  lag.enable()
  const elapsed = await drain(kiosk)
  lag.disable()
  const kioskCpu = process.cpuUsage(kioskCpu0)
  const run: Run = {
    ms: elapsed,
    centralCpu: centralCpu0 === null ? null : central.cpuSeconds()! - centralCpu0,
    kioskCpu: (kioskCpu.user + kioskCpu.system) / 1e6,
    lagP99: lag.percentile(99) / 1e6,
    lagMax: lag.max / 1e6,
    accepted: central.accepted(),
  }
  kiosk.close()
  await central.stop()
  return run
}

const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50)
/** The run whose time is the median: its CPU figures go with the median rate. */
const medianRun = (runs: readonly Run[]) => runs.find((r) => r.ms === median(runs.map((x) => x.ms)))!

export async function drain(kiosk: TestKiosk): Promise<number> {
  const t0 = performance.now()
  for (let round = 0; round < 10_000 && kiosk.uploader.state().pending > 0; round++) await kiosk.uploader.runOnce()
  if (kiosk.uploader.state().pending > 0) throw new Error(`upload did not finish: ${JSON.stringify(kiosk.uploader.state())}`)
  return performance.now() - t0
}

/** The request bodies the uploader sends for a queue, encoded by the same queue code: per batch, its photo packs and the gzipped batch. */
type EncodedUpload = Array<{ packs: EncodedPhotoPack[]; batch: EncodedBatch }>

/** Encodes every queued batch of `kiosk` up front (not timed); its records are marked sent as it goes. */
async function encodeAll(kiosk: TestKiosk, dataDir: string): Promise<EncodedUpload> {
  const outbox = createOutboxRepository(kiosk.store.connection())
  const reader = createBatchReader(kiosk.store.connection())
  const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
  const bodies: EncodedUpload = []
  for (;;) {
    const claim = outbox.claimBatch(new Date().toISOString(), 200, DEFAULT_LIMITS.maxBytes, uuidv7)
    if (!claim) break
    const prepared = await prepareBatch(reader, vault, { postId: DEMO_POST_ID, ...claim }, gzip)
    bodies.push({ packs: [...photoPacks(reader, vault, prepared.photos, DEFAULT_PACK_LIMITS)], batch: prepared.batch })
    outbox.applyResults(claim.recordIds.map((id) => ({ id, status: 'accepted', centralId: 'C-raw' })), new Date().toISOString())
  }
  return bodies
}

/**
 * The raw-transfer ceiling: the same bodies POSTed one after another over loopback to a server that only reads
 * them. Only the POSTs are timed.
 */
async function rawTransfer(bodies: EncodedUpload): Promise<{ ms: number; requests: number; mb: number }> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined)
    req.on('end', () => res.end('{}'))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  let elapsed = 0
  let requests = 0
  let bytes = 0
  for (const { packs, batch } of bodies) {
    for (const body of [...packs.map((p) => p.body), batch.gzipped]) {
      const t0 = performance.now()
      await (await fetch(url, { method: 'POST', body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) })).text()
      elapsed += performance.now() - t0
      requests++
      bytes += body.byteLength
    }
  }
  server.close()
  return { ms: elapsed, requests, mb: bytes / 2 ** 20 }
}

/**
 * Central's own share: the same bodies, encoded beforehand, sent one after another to a fresh reference central
 * (packs, then the batch) with the kiosk's client. Only the requests are timed, so this is central storing and
 * checking with no kiosk work in the way: no uploader can be faster than central is here.
 */
async function centralAlone(bodies: EncodedUpload): Promise<{ ms: number; accepted: number }> {
  const { central, token } = await freshCentral()
  const client = createCentralClient({ baseUrl: central.url, token })
  let elapsed = 0
  for (const { packs, batch } of bodies) {
    const t0 = performance.now()
    for (const pack of packs) {
      const outcome = await client.putPhotoPack(pack)
      if (!outcome.ok) throw new Error(`central refused a pack: ${JSON.stringify(outcome.failure)}`)
    }
    const outcome = await client.postEncodedBatch(batch)
    if (!outcome.ok) throw new Error(`central refused a batch: ${JSON.stringify(outcome.failure)}`)
    elapsed += performance.now() - t0
  }
  const accepted = central.accepted()
  await central.stop()
  return { ms: elapsed, accepted }
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is no /proc. */
function processCpuSeconds(pid: number): number | null {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command name, which may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/**
 * A server that acknowledges what the uploader sends without storing or checking it: photo packs are answered
 * frame by frame, batches accepted record by record. Against it, the upload measures the kiosk's side alone.
 */
async function acknowledgingSink(): Promise<{ url: string; close: () => void }> {
  let seq = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      let answer: unknown = { status: 'ok' }
      if (req.url === '/v1/photos:batch') {
        const photos: Array<{ sha256: string; size: number; created: boolean }> = []
        for (let at = 0; at < body.length; at += 5 + body.readUInt32BE(at + 1)) {
          photos.push({ sha256: body.subarray(at + 5, at + 37).toString('hex'), size: body.readUInt32BE(at + 1) - 32, created: true })
        }
        answer = { photos }
      } else if (req.url === '/v1/registrations:batch') {
        const batch = JSON.parse(gunzipSync(body).toString('utf8')) as { batchId: string; records: Array<{ id: string }> }
        answer = { batchId: batch.batchId, results: batch.records.map((r) => ({ id: r.id, status: 'accepted', centralId: `C-${++seq}` })) }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }
}

/** A reference central on a fresh data dir with the demo posts, in its own process; `token` is the demo post's. */
async function freshCentral() {
  const centralDir = mkdtempSync(join(tmpdir(), 'posko-bench-central-'))
  leftovers.push(centralDir)
  const { posts } = createDemoPosts(centralDir)
  const central = await spawnCentral(centralDir)
  return { central, token: posts.find((p) => p.postId === DEMO_POST_ID)!.token }
}

/**
 * Central in its own process, as on a real network: its CPU is not the kiosk's, and its work is not in our lag.
 * `wrap` turns its argv into the one to run (the links bench runs it in a network namespace).
 */
export async function spawnCentral(
  dataDir: string,
  wrap: (argv: string[]) => string[] = (argv) => argv,
): Promise<{ url: string; stop: () => Promise<void>; accepted: () => number; cpuSeconds: () => number | null }> {
  // `--import tsx` rather than tsx's CLI: one process, so child.pid is the server whose CPU time is read below.
  const argv = wrap([process.execPath, '--import', 'tsx', resolve('test/central/cli.ts'), '--port', '0', '--data', dataDir])
  const child = spawn(argv[0]!, argv.slice(1), {
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
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGTERM')
    })
  return { url, stop, accepted, cpuSeconds: () => processCpuSeconds(child.pid!) }
}

export async function run(): Promise<BenchSection> {
  const worker = await buildUploadWorker()
  const withPhotos = await prefill(RECORDS, 0)
  const perRecordQueue = await prefill(PER_RECORD_SAMPLE, RECORDS)
  const recordsOnlyQueue = await prefill(RECORDS, 2 * RECORDS, false)
  const recordsPerRecordQueue = await prefill(PER_RECORD_SAMPLE, 3 * RECORDS, false)

  // Each kind of upload runs REPEATS times, interleaved, so a slow minute of this shared VM weighs on all of them.
  const batched: Run[] = []
  const single: Run[] = []
  const singlePipelined: Run[] = []
  const recordsOnly: Run[] = []
  const recordsSingle: Run[] = []
  for (let r = 0; r < REPEATS; r++) {
    // Batched: the real uploader as the app runs it (batches claimed, read and encoded in the upload worker, 200
    // records per batch, the next three prepared and their photos sent while one batch is checked, photos first).
    batched.push(await measure(withPhotos, { maxRecords: 200, photoConcurrency: 2, workerScript: worker.script }))
    // The naive uploader: each record on its own (its photo, then a batch of one), one request at a time, prepared
    // inline (a worker hop per record would only make it slower).
    single.push(await measure(perRecordQueue, { maxRecords: 1, photoConcurrency: 1, lookahead: 0 }))
    // One record per batch, but pipelined like the batched upload: what batching alone buys.
    singlePipelined.push(await measure(perRecordQueue, { maxRecords: 1, photoConcurrency: 2 }))
    // The same comparison without photos: what batching the records themselves buys.
    recordsOnly.push(await measure(recordsOnlyQueue, { maxRecords: 200, photoConcurrency: 2, workerScript: worker.script }))
    recordsSingle.push(await measure(recordsPerRecordQueue, { maxRecords: 1, photoConcurrency: 1, lookahead: 0 }))
  }

  // The same uploader against a server that only acknowledges: the kiosk's side alone.
  const sink = await acknowledgingSink()
  const sinkKiosk = await openCopy(withPhotos, sink.url, 'unused', { maxRecords: 200, photoConcurrency: 2, workerScript: worker.script })
  const sinkMs = await drain(sinkKiosk.kiosk)
  sinkKiosk.kiosk.close()
  leftovers.push(sinkKiosk.dataDir)
  sink.close()

  // The same records again, encoded once: their raw transfer, and central's own share of the work.
  const rawKiosk = await openCopy(withPhotos, 'http://127.0.0.1:9', 'unused', { maxRecords: 200, photoConcurrency: 2 })
  const bodies = await encodeAll(rawKiosk.kiosk, rawKiosk.dataDir)
  rawKiosk.kiosk.close()
  leftovers.push(rawKiosk.dataDir)
  const raw = await rawTransfer(bodies)
  const alone = await centralAlone(bodies)
  if (alone.accepted !== RECORDS) throw new Error(`central alone accepted ${alone.accepted} of ${RECORDS}`)

  worker.remove()
  for (const dir of [withPhotos, perRecordQueue, recordsOnlyQueue, recordsPerRecordQueue, ...leftovers.splice(0)]) rmSync(dir, { recursive: true, force: true })

  const rate = (n: number, runs: readonly Run[]) => n / (medianRun(runs).ms / 1000)
  const batchedRate = rate(RECORDS, batched)
  const singleRate = rate(PER_RECORD_SAMPLE, single)
  const pipelinedRate = rate(PER_RECORD_SAMPLE, singlePipelined)
  const recordsRate = rate(RECORDS, recordsOnly)
  const recordsSingleRate = rate(PER_RECORD_SAMPLE, recordsSingle)
  const list = (runs: readonly Run[]) => runs.map((r) => (r.ms / 1000).toFixed(1)).join(', ')
  const typical = medianRun(batched)
  // Central and the kiosk share this machine's cores: their CPU time over the cores is as fast as the upload can go.
  const cores = availableParallelism()
  const floorMs = (((typical.centralCpu ?? 0) + typical.kioskCpu) / cores) * 1000
  const batchedMs = typical.ms
  const lagP99s = batched.map((r) => r.lagP99)
  const lagP99 = median(lagP99s)
  const accepted = Math.min(...batched.map((r) => r.accepted))
  return {
    title: `Bulk upload to the reference central on loopback (${RECORDS.toLocaleString('en')} records, each with a ${PHOTO_BYTES / 1024} KB photo)`,
    notes:
      `Central runs in its own process on the same ${cores}-core machine (it competes for the CPU). The uploader as the app runs it: ` +
      `batches of 200 claimed, read, decrypted and encoded in the upload worker, three ahead of the batch being checked, their photos sent first in packs ` +
      `(POST /v1/photos:batch, ≤ 4 MiB, two in flight per batch), then the gzipped batch with an Idempotency-Key. ` +
      `Each kind of upload ran ${REPEATS} times, interleaved, each time from a copy of the same queue to a fresh central (this VM's speed drifts by up to 1.5× from minute to minute); figures are the median run's. ` +
      `At least ${accepted.toLocaleString('en')} records accepted by central in every batched run. ` +
      `Per-record upload measured on ${PER_RECORD_SAMPLE.toLocaleString('en')} records: a batch of one each, its photo first, one request at a time (the naive uploader); and the same batches of one pipelined like the batched upload. ` +
      `Raw transfer: the same ${raw.requests.toLocaleString('en')} request bodies (${raw.mb.toFixed(0)} MB: packs and gzipped batches, encoded by the same code) POSTed one after another to a loopback server that only reads them; central alone: the same bodies to a fresh central, one request at a time, timed from the kiosk's client. ` +
      `Event-loop lag is main's (monitorEventLoopDelay, 5 ms resolution) over each batched upload.`,
    figures: [
      { name: 'batched upload (median of the runs)', value: `${(batchedMs / 1000).toFixed(1)} s, ${batchedRate.toFixed(0)} records/s (runs: ${list(batched)} s)` },
      { name: 'one request per record, one at a time', value: `${singleRate.toFixed(0)} records/s (runs: ${list(single)} s)` },
      { name: 'with photos: batched vs per-record', value: `${(batchedRate / singleRate).toFixed(1)}×`, goal: '≥ 10×', met: batchedRate / singleRate >= 10 },
      {
        name: 'with photos: batched vs one record per batch, pipelined the same way (batching alone)',
        value: `${(batchedRate / pipelinedRate).toFixed(1)}× (${pipelinedRate.toFixed(0)} records/s; runs: ${list(singlePipelined)} s)`,
      },
      { name: 'records only (no photos): batched vs per-record', value: `${(recordsRate / recordsSingleRate).toFixed(1)}× (${recordsRate.toFixed(0)} vs ${recordsSingleRate.toFixed(0)} records/s)`, goal: '≥ 10×', met: recordsRate / recordsSingleRate >= 10 },
      { name: 'vs raw loopback transfer of the same bytes', value: `${(raw.ms / batchedMs).toFixed(2)}× (raw ${ms(raw.ms)})`, goal: '≥ 0.5×', met: raw.ms / batchedMs >= 0.5 },
      {
        name: 'central alone: the same bodies, encoded beforehand, one request at a time (its storing and checking, no uploader work)',
        value: `${(alone.ms / 1000).toFixed(1)} s, ${(RECORDS / (alone.ms / 1000)).toFixed(0)} records/s, ${(raw.ms / alone.ms).toFixed(2)}× raw`,
      },
      {
        name: 'the same upload to a server that only acknowledges (the kiosk\'s side alone)',
        value: `${(sinkMs / 1000).toFixed(1)} s, ${(RECORDS / (sinkMs / 1000)).toFixed(0)} records/s, ${(raw.ms / sinkMs).toFixed(2)}× raw`,
      },
      {
        name: 'CPU during the median batched upload: central / kiosk (main + upload worker)',
        value: `${typical.centralCpu === null ? 'n/a' : `${typical.centralCpu.toFixed(1)} s`} / ${typical.kioskCpu.toFixed(1)} s, in ${(typical.ms / 1000).toFixed(1)} s on ${cores} cores`,
      },
      {
        name: `the machine's floor for that upload: both processes' CPU spread over ${cores} cores`,
        value:
          typical.centralCpu === null
            ? 'n/a'
            : `${(floorMs / 1000).toFixed(1)} s (the upload took ${(typical.ms / floorMs).toFixed(2)}× it), ${(raw.ms / floorMs).toFixed(2)}× raw at best`,
      },
      {
        name: 'event-loop lag p99 during upload, median run (every run\'s p99; worst max)',
        value: `${ms(lagP99)} (${lagP99s.map((v) => v.toFixed(1)).join(', ')} ms; max ${ms(Math.max(...batched.map((r) => r.lagMax)))})`,
        goal: 'p99 ≤ 20 ms',
        met: lagP99 <= 20,
      },
    ],
  }
}
