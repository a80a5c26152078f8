import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { createDemoPosts, DEMO_POST_ID } from '../central/server'
import { openSimulatedLink } from '../fixtures/link/simulated-link'
import { perfectSend } from './link-ceiling/ceiling'
import type { SimulatedLinkStats } from '../fixtures/link/simulated-link'
import { buildUploadWorker } from '../fixtures/upload-worker'
import type { BenchSection, Figure } from './measure'
import { ms } from './measure'
import { openCopy, PHOTO_BYTES, prefill, spawnCentral } from './upload.bench'

/**
 * Issue 23: the real uploader (upload worker, default batches, packs and backoff) sending a queue of records with
 * photos to the reference central over simulated post links (test/fixtures/link): the kernel's tbf in a network
 * namespace for the rate where this machine allows it (root), else the proxy's token bucket; the proxy adds the
 * round trip and the cuts.
 */
const LINKS = [
  // Sized so that the queue takes ~80 s at 256 kbit/s (over 2 MB: at least one cut), ~45 s and ~40 s faster.
  { name: '256 kbit/s, 300 ms RTT', rateBitsPerSecond: 256_000, rttMs: 300, seconds: 80 },
  { name: '2 Mbit/s, 150 ms RTT', rateBitsPerSecond: 2_000_000, rttMs: 150, seconds: 45 },
  { name: '20 Mbit/s, 50 ms RTT', rateBitsPerSecond: 20_000_000, rttMs: 50, seconds: 40 },
] as const
/** "A cut every 2 MB" (issue 23): the link drops after every 2,000,000 bytes that reached central. */
const CUT_EVERY_BYTES = 2_000_000
/** A run that has not drained its queue by this many times its expected time (plus a minute) stops there. */
const CAP_FACTOR = 2
/** Bytes on the wire a record takes, for sizing the queue only: its photo, its gzipped JSON, a share of the headers. */
const ESTIMATED_RECORD_BYTES = PHOTO_BYTES + 1_500
const SHAPING = (process.env.POSKO_BENCH_LINKS_SHAPING ?? 'auto') as 'auto' | 'kernel' | 'userspace'
/** Packs in flight (the app's 2); POSKO_BENCH_LINKS_LANES=1 measured worse at 2 Mbit/s, slightly better at 20. */
const LANES = Number(process.env.POSKO_BENCH_LINKS_LANES ?? 2)
/** 1 for the whole bench; less for a quick look (smaller queues, the same links). */
const SCALE = Number(process.env.POSKO_BENCH_LINKS_SCALE ?? 1)

interface LinkRun {
  records: number
  accepted: number
  finished: boolean
  ms: number
  /** Date.now() when the uploader started, and when the run ended (drained or stopped). */
  startedAt: number
  endedAt: number
  /** Photo bytes central stored plus the accepted records' JSON gzipped per batch: what the link is for. */
  payloadBytes: number
  link: SimulatedLinkStats
  lagP99: number
  lagMax: number
  uploader: string
  /** Central's answers other than accepted, e.g. "1 rejected [...]"; empty if none. */
  others: string
}

/** What central holds after a run: records accepted, and the payload bytes they and their photos came to. */
function centralPayload(dataDir: string): { accepted: number; payloadBytes: number; others: string } {
  const db = new Database(join(dataDir, 'central.sqlite'), { readonly: true })
  try {
    db.prepare('ATTACH DATABASE ? AS photo_store').run(join(dataDir, 'photos.sqlite'))
    const photoBytes = db.prepare('SELECT coalesce(sum(size), 0) FROM photo_store.photos').pluck().get() as number
    const batches = new Map<string, string[]>()
    for (const row of db.prepare('SELECT batch_id AS batchId, record FROM registrations ORDER BY seq').all() as Array<{ batchId: string; record: string }>) {
      const records = batches.get(row.batchId) ?? []
      records.push(row.record)
      batches.set(row.batchId, records)
    }
    let recordBytes = 0
    for (const records of batches.values()) recordBytes += gzipSync(`[${records.join(',')}]`).length
    const accepted = db.prepare("SELECT count(*) FROM results WHERE status = 'accepted'").pluck().get() as number
    // Anything else central answered (a rejection after a cut would be a bug of the upload's): status and errors.
    const others = db
      .prepare("SELECT status, coalesce(errors, '') AS errors, count(*) AS n FROM results WHERE status != 'accepted' GROUP BY status, errors")
      .all() as Array<{ status: string; errors: string; n: number }>
    return { accepted, payloadBytes: photoBytes + recordBytes, others: others.map((o) => `${o.n} ${o.status} ${o.errors}`.trim()).join('; ') }
  } finally {
    db.close()
  }
}

/** The simulated link of `spec`, cut every `cutEveryBytes` (or never): the same for Posko's runs and the ceiling's. */
const linkFor = (spec: (typeof LINKS)[number], cutEveryBytes: number | null) =>
  openSimulatedLink({ rateBitsPerSecond: spec.rateBitsPerSecond, rttMs: spec.rttMs, jitterMs: spec.rttMs / 20, cutEveryBytes, shaping: SHAPING, seed: 23 })

/** One upload of a fresh copy of `template` (`records` records) over a fresh link to a fresh central. */
async function uploadOver(
  spec: (typeof LINKS)[number],
  cutEveryBytes: number | null,
  template: string,
  records: number,
  workerScript: string,
  dirs: string[],
): Promise<LinkRun & { shaping: string; fallbackReason: string | null }> {
  const link = linkFor(spec, cutEveryBytes)
  const centralDir = mkdtempSync(join(tmpdir(), 'posko-bench-links-central-'))
  dirs.push(centralDir)
  const { posts } = createDemoPosts(centralDir)
  const central = await spawnCentral(centralDir, link.place)
  try {
    const url = await link.attach(Number(new URL(central.url).port))
    const token = posts.find((p) => p.postId === DEMO_POST_ID)!.token
    const { kiosk, dataDir } = await openCopy(template, url, token, { maxRecords: 200, photoConcurrency: LANES, workerScript })
    dirs.push(dataDir)
    const expectedMs = ((records * ESTIMATED_RECORD_BYTES * 8) / spec.rateBitsPerSecond) * 1000
    const capMs = CAP_FACTOR * expectedMs + 60_000
    const lag = monitorEventLoopDelay({ resolution: 5 })
    lag.enable()
    const t0 = performance.now()
    const startedAt = Date.now()
    // As the app runs it: started, it drains the queue, backing off after failures as it would at a post.
    kiosk.uploader.start()
    while (kiosk.uploader.state().pending > 0 && performance.now() - t0 < capMs) await new Promise((resolve) => setTimeout(resolve, 100))
    const elapsed = performance.now() - t0
    const endedAt = Date.now()
    lag.disable()
    const state = kiosk.uploader.state()
    const stats = await link.stats()
    kiosk.close()
    await central.stop()
    const held = centralPayload(centralDir)
    return {
      records,
      accepted: held.accepted,
      finished: state.pending === 0,
      ms: elapsed,
      startedAt,
      endedAt,
      payloadBytes: held.payloadBytes,
      link: stats,
      lagP99: lag.percentile(99) / 1e6,
      lagMax: lag.max / 1e6,
      uploader: `${state.status}${state.lastError ? ` (${state.lastError})` : ''}`,
      others: held.others,
      shaping: link.shaping,
      fallbackReason: link.fallbackReason,
    }
  } finally {
    await central.stop()
    await link.close()
  }
}

/**
 * The same link's ceiling (link-ceiling/ceiling.ts): a perfect sender moving `bytes` with the cuts, and first a short
 * run without them for what the link's own framing adds (so "re-sent" means the same as Posko's).
 */
async function ceilingOver(spec: (typeof LINKS)[number], cutEveryBytes: number, bytes: number) {
  const once = async (cut: number | null, n: number) => {
    const link = linkFor(spec, cut)
    try {
      const run = await perfectSend(link, n)
      const stats = await link.stats()
      return { ...run, up: stats.wire?.up.bytes ?? stats.bytesUp, cuts: stats.cuts }
    } finally {
      await link.close()
    }
  }
  const calibration = await once(null, Math.min(bytes, Math.round((spec.rateBitsPerSecond / 8) * 10)))
  const cut = await once(cutEveryBytes, bytes)
  const resent = Math.max(0, cut.up - bytes * (calibration.up / calibration.bytes))
  return { goodputShare: (bytes * 8) / (cut.ms / 1000) / spec.rateBitsPerSecond, resentShare: resent / cut.up, cuts: cut.cuts }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`
const rate = (bitsPerSecond: number) => (bitsPerSecond >= 1e6 ? `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s` : `${(bitsPerSecond / 1e3).toFixed(0)} kbit/s`)

export async function run(): Promise<BenchSection> {
  const worker = await buildUploadWorker()
  const dirs: string[] = []
  const figures: Figure[] = []
  let shaping = ''
  let fallbackReason: string | null = null
  const sizes: string[] = []
  const loadBefore = loadavg()[0]!
  try {
    for (const [i, spec] of LINKS.entries()) {
      // POSKO_BENCH_LINKS_ONLY=20: only the links whose name includes it (a look at one; the section is then partial).
      if (process.env.POSKO_BENCH_LINKS_ONLY && !spec.name.includes(process.env.POSKO_BENCH_LINKS_ONLY)) continue
      const records = Math.max(10, Math.round((SCALE * spec.seconds * spec.rateBitsPerSecond) / 8 / ESTIMATED_RECORD_BYTES))
      sizes.push(`${records} records at ${spec.name.split(',')[0]}`)
      const template = await prefill(records, 1_000_000 * (i + 1))
      dirs.push(template)
      process.stdout.write(`bench: links ${spec.name}, ${records} records, no cuts…\n`)
      const whole = await uploadOver(spec, null, template, records, worker.script, dirs)
      process.stdout.write(`bench: links ${spec.name}, ${records} records, a cut every ${mb(CUT_EVERY_BYTES)}…\n`)
      const cut = await uploadOver(spec, CUT_EVERY_BYTES, template, records, worker.script, dirs)
      process.stdout.write(`bench: links ${spec.name}, the same bytes by a perfect sender, a cut every ${mb(CUT_EVERY_BYTES)}…\n`)
      const ceiling = await ceilingOver(spec, CUT_EVERY_BYTES, cut.payloadBytes)
      for (const r of [whole, cut]) {
        process.stdout.write(`bench: links   ${r.accepted}/${r.records} in ${(r.ms / 1000).toFixed(1)} s, ${r.link.cuts} cuts, payload ${mb(r.payloadBytes)}, up ${mb(r.link.wire?.up.bytes ?? r.link.bytesUp)}, lag p99 ${r.lagP99.toFixed(1)} ms\n`)
      }
      shaping = whole.shaping
      fallbackReason = whole.fallbackReason
      // Link bytes up: tbf's count of whole frames where the kernel shapes (what crossed, cut or not), else what
      // the proxy delivered to central.
      const sentUp = (r: LinkRun) => r.link.wire?.up.bytes ?? r.link.bytesUp
      const overhead = sentUp(whole) / whole.payloadBytes
      for (const [label, r] of [['no cuts', whole], [`a cut every ${mb(CUT_EVERY_BYTES)}`, cut]] as const) {
        const goodput = (r.payloadBytes * 8) / (r.ms / 1000)
        const share = goodput / spec.rateBitsPerSecond
        const short = r.accepted < r.records ? ` — ONLY ${r.accepted} OF ${r.records} ACCEPTED (central's other answers: ${r.others || 'none: never sent'})` : ''
        const done = r.finished ? `queue drained in ${(r.ms / 1000).toFixed(1)} s${short}` : `NOT FINISHED: ${r.accepted} of ${r.records} records accepted when stopped at ${(r.ms / 1000).toFixed(0)} s (uploader ${r.uploader})`
        figures.push({
          name: `${spec.name}, ${label}: goodput (payload accepted by central / elapsed)`,
          value: `${rate(goodput)} = ${share.toFixed(2)}× the link; ${((r.accepted / r.ms) * 60_000).toFixed(0)} records/min; ${done}; ${r.link.cuts} cuts`,
          goal: '≥ 0.9× the link',
          met: r.finished && r.accepted === r.records && share >= 0.9,
        })
        if (r === whole && r.finished && r.link.firstUpAt !== null && r.link.lastUpAt !== null) {
          // Where the time beyond the link's own went: before the first byte reached central, and after the last.
          figures.push({
            name: `${spec.name}, ${label}: time at the link's rate for the bytes sent up, vs start-up and tail`,
            value:
              `${((sentUp(r) * 8) / spec.rateBitsPerSecond).toFixed(1)} s of ${(r.ms / 1000).toFixed(1)} s; first byte at central after ${((r.link.firstUpAt - r.startedAt) / 1000).toFixed(1)} s, ` +
              `queue drained ${((r.endedAt - r.link.lastUpAt) / 1000).toFixed(1)} s after the last byte up (polled every 100 ms)`,
          })
        }
        if (r === cut) {
          // Re-sent: what crossed beyond what the same payload took on the same link without cuts.
          const resent = Math.max(0, sentUp(r) - r.payloadBytes * overhead)
          figures.push({
            name: `${spec.name}, ${label}: bytes re-sent after cuts / bytes sent`,
            value: `${mb(resent)} of ${mb(sentUp(r))} (${((resent / sentUp(r)) * 100).toFixed(1)} %)`,
            goal: '≤ 10 %',
            met: r.finished && resent / sentUp(r) <= 0.1,
          })
        }
        if (r === cut) {
          figures.push({
            name: `${spec.name}, ${label}: the link's ceiling, a perfect sender moving the same bytes (reconnects at once, knows to the byte what arrived, no requests)`,
            value: `${ceiling.goodputShare.toFixed(2)}× the link; re-sent ${(ceiling.resentShare * 100).toFixed(1)} %; ${ceiling.cuts} cuts`,
          })
        }
        figures.push({
          name: `${spec.name}, ${label}: main's event-loop lag p99 (max)`,
          value: `${ms(r.lagP99)} (${ms(r.lagMax)})`,
          goal: '≤ 20 ms',
          met: r.lagP99 <= 20,
        })
        const perRecord = r.accepted
        figures.push({
          name: `${spec.name}, ${label}: bytes per record accepted (payload; up, down on the link)`,
          value:
            perRecord === 0
              ? `n/a: none accepted (${mb(sentUp(r))} up in all)`
              : `${kb(r.payloadBytes / perRecord)}; up ${kb(sentUp(r) / perRecord)}, down ${kb((r.link.wire?.down.bytes ?? r.link.bytesDown) / perRecord)}` +
                (r.link.wire ? ` (frames; HTTP bytes up ${kb(r.link.bytesUp / perRecord)})` : ''),
        })
      }
    }
  } finally {
    worker.remove()
    if (process.env.POSKO_BENCH_LINKS_KEEP) process.stdout.write(`bench: links kept ${dirs.join(' ')}\n`)
    else for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
  const how =
    shaping === 'kernel'
      ? 'Rate: the kernel\'s tbf on a veth pair into a network namespace (each way, queue ~250 ms), where central and the proxy run; kiosk → relay on loopback → tbf → proxy (delay, jitter, cuts) → central.'
      : `Rate: the proxy's userspace token bucket, NOT the kernel's tbf (kernel shaping skipped: ${fallbackReason ?? `POSKO_BENCH_LINKS_SHAPING=${SHAPING}`}); kiosk → proxy (rate, delay, jitter, cuts) → central on loopback.`
  return {
    title: 'Upload over simulated post links (issue 23): goodput, cuts, lag and bytes per record',
    notes:
      `A kiosk as the app runs it (upload worker, its own batch and photo-pack sizes: batches ≤ 200 records, packs ≤ 4 MiB two at a time, three batches ahead; its own backoff after failures) ` +
      `uploads a queue of records, each with a ${PHOTO_BYTES / 1024} KB photo (${sizes.join(', ')}; ~${LINKS.map((l) => l.seconds).join('/')} s at the link's rate), ` +
      `to a fresh reference central in its own process over a simulated link (test/fixtures/link). ${how} ` +
      `Round trip as named, jitter up to 5 % of it. "A cut every 2 MB": the link is cut after every ${CUT_EVERY_BYTES.toLocaleString('en')} bytes delivered to central ` +
      `(every open connection reset). A run stops at ${CAP_FACTOR}× its expected time plus a minute if its queue has not drained. ` +
      `Payload: the photo bytes central stored plus the accepted records' JSON gzipped per batch; goodput is payload × 8 / elapsed, against the link's rate` +
      `${shaping === 'kernel' ? ' (tbf counts whole Ethernet frames, so TCP payload tops out near 96 % of it)' : ''}. ` +
      `Re-sent: the bytes that crossed the link up${shaping === 'kernel' ? ' (tbf\'s count: everything that crossed, including what a cut threw away)' : ' (delivered to central)'} beyond what the same payload took on the same link without cuts. ` +
      `The ceiling rows: test/bench/link-ceiling, a bare TCP sender over the same link with the same cuts, told outside the link how many bytes arrived, so it loses only what the link takes: what was queued or in flight at a cut, the new connection, TCP's slow start. ` +
      `Event-loop lag: main's (monitorEventLoopDelay, 5 ms resolution) over each upload. ` +
      `Load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (${availableParallelism()} cores shared with other work: the lag figures suffer first).`,
    figures,
  }
}
