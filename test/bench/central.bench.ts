import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { fakeJpeg, makeValidRecords, withFacePhoto } from '../central/fixtures'
import { startTestCentral, SURABAYA } from '../central/testkit'
import type { BenchSection } from './measure'
import { ms, percentile } from './measure'

const BATCH = 500
const GOAL_PER_MIN = 80_000

interface Prepared {
  batchId: string
  body: Buffer
  gzip: boolean
}

/**
 * Central ingest rate: batches of 500 valid records (each with a face photo already uploaded), Idempotency-Key
 * on, sent one after another like a post's uploader. Client and server share this one process and core, so the
 * figure includes the client's side of HTTP; bodies (and their gzip) are built before the clock starts.
 */
export async function run(): Promise<BenchSection> {
  const env = await startTestCentral({ allowFaultHeader: false })
  try {
    const photos = Array.from({ length: 200 }, (_, i) => fakeJpeg(`bench-${i}`, 4096))
    for (const photo of photos) await env.client.putPhoto(photo.bytes)

    let next = 0
    const prepare = (count: number, gzip: boolean): Prepared[] =>
      Array.from({ length: count }, () => {
        const records = makeValidRecords(BATCH, SURABAYA.postId, { start: next }).map((r, i) => withFacePhoto(r, photos[i % photos.length]!.sha256))
        next += BATCH
        const batchId = randomUUID()
        const json = Buffer.from(JSON.stringify({ postId: SURABAYA.postId, batchId, records }))
        return { batchId, body: gzip ? gzipSync(json) : json, gzip }
      })

    const send = async (batch: Prepared): Promise<number> => {
      const t0 = performance.now()
      const res = await env.client.postRaw(batch.body, {
        'content-type': 'application/json',
        authorization: `Bearer ${SURABAYA.token}`,
        'idempotency-key': batch.batchId,
        ...(batch.gzip ? { 'content-encoding': 'gzip' } : {}),
      })
      const answer = (await res.json()) as { results: Array<{ status: string }> }
      const elapsed = performance.now() - t0
      const accepted = answer.results.filter((r) => r.status === 'accepted').length
      if (res.status !== 200 || accepted !== BATCH) throw new Error(`bench batch: status ${res.status}, ${accepted}/${BATCH} accepted`)
      return elapsed
    }
    const timed = async (batches: Prepared[]) => {
      const t0 = performance.now()
      const each: number[] = []
      for (const batch of batches) each.push(await send(batch))
      const total = performance.now() - t0
      return { perMin: (batches.length * BATCH * 60_000) / total, each: each.sort((a, b) => a - b) }
    }

    for (const batch of prepare(4, false)) await send(batch)
    const plain = await timed(prepare(40, false))
    const gzipped = await timed(prepare(20, true))
    const replays = prepare(10, false)
    for (const batch of replays) await send(batch)
    const replay = await timed(replays)
    const stats = env.central.stats()
    const rate = (perMin: number) => `${Math.round(perMin).toLocaleString('en')} records/min`
    return {
      title: 'Central reference server: batch ingest (one process, one core)',
      notes:
        `Batches of ${BATCH} valid records with a face photo each, validated with the shared zod schema, deduped by id and NIK, ` +
        `committed in one SQLite transaction (WAL, synchronous=FULL) with the idempotent answer. Client and server share the core. ` +
        `${stats.accepted.toLocaleString('en')} records in the database at the end.`,
      figures: [
        { name: 'ingest, JSON body', value: rate(plain.perMin), goal: `≥ ${GOAL_PER_MIN.toLocaleString('en')} records/min`, met: plain.perMin >= GOAL_PER_MIN },
        { name: 'ingest, gzip body', value: rate(gzipped.perMin), goal: `≥ ${GOAL_PER_MIN.toLocaleString('en')} records/min`, met: gzipped.perMin >= GOAL_PER_MIN },
        { name: `${BATCH}-record batch p50 / p99`, value: `${ms(percentile(plain.each, 50))} / ${ms(percentile(plain.each, 99))}` },
        { name: `idempotent replay of a ${BATCH}-record batch p50`, value: ms(percentile(replay.each, 50)) },
      ],
    }
  } finally {
    await env.dispose()
  }
}

// `npx tsx test/bench/central.bench.ts` runs this one alone and prints the section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run()
  process.stdout.write(`${JSON.stringify(section, null, 2)}\n`)
}
