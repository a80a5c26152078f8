import { mkdtempSync, readFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import sharp from 'sharp'
import { v7 as uuidv7 } from 'uuid'
import { KioskConfig } from '../../common/config'
import { PhotoThresholds } from '../../common/photo-thresholds'
import { PHOTO_FRAME_OVERHEAD } from '../../main/services/central/photo-pack'
import { createThreadKtpReader } from '../../main/services/ktp/worker-thread'
import { createFaceDetector, processPhoto } from '../../main/services/photos'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { createBatchReader } from '../../main/services/store/batch-reader'
import { createOutboxRepository } from '../../main/services/store/outbox'
import { createPhotosRepository, photoAad } from '../../main/services/store/photos'
import { prepareBatch } from '../../main/services/upload/prepare'
import { fakeJpeg } from '../central/fixtures'
import { DEMO_POST_ID } from '../central/server'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import type { KtpSample } from '../fixtures/ktp/generate'
import { ktpSample } from '../fixtures/ktp/generate'
import { buildKtpWorker } from '../fixtures/ktp-worker'
import { storeFakePhoto } from '../fixtures/stored-photos'
import type { BenchSection } from './measure'

/**
 * Bytes on the wire per record (issue 23.3): the face photo, the KTP photo, and the record in its gzipped batch,
 * at each JPEG quality the stored photos could be written at. A quality is only worth having if the stored photo
 * still passes the same quality checks (processPhoto run again on the stored JPEG) and, for the KTP, if the KTP
 * reader still reads the NIK off the stored photo as often as off the camera frame (generated e-KTP frames,
 * test/fixtures/ktp/generate.ts, those of them the card gate passes: 1000 px wide or more).
 */
const CARDS = Number(process.env.POSKO_BENCH_CARDS ?? 24)
const QUALITIES = [88, 80, 72, 64, 56] as const
const TODAY = new Date('2026-12-06T00:00:00')
const RECORDS = 200

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const at = (kind: 'face' | 'card', quality: number) => PhotoThresholds.parse({ [kind]: { quality } })

/** A batch of 200 records as the uploader sends it, gzipped, per record (each record names a face and a card). */
async function recordBytes(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-bench-bytes-'))
  const kiosk = createTestKiosk({
    dataDir,
    config: KioskConfig.parse({ postId: DEMO_POST_ID, postName: 'Bench', centralUrl: 'http://127.0.0.1:9', requirePhotos: false }),
    version: 'bench',
    logger: createMemoryLogger(10),
    resourcesDir: resolve('resources'),
    centralToken: 'unused',
    demoOperator: { id: 'bench', name: 'Bench', pin: '246813' },
    retentionSchedule: false,
    upload: { autoStart: false },
  })
  await kiosk.ready
  await kiosk.sessions.signIn('bench', '246813')
  const vault = createVault(createFileKeyProvider(dataDir).loadOrCreate())
  const conn = kiosk.store.connection()
  const photos = createPhotosRepository(conn)
  kiosk.setDurability('off')
  for (let i = 0; i < RECORDS; i++) {
    const face = { sha256: storeFakePhoto(conn, vault, `bytes-face-${i}`, 1024).sha256 }
    const cardPhoto = fakeJpeg(`bytes-card-${i}`, 1024)
    photos.insert({ sha256: cardPhoto.sha256, kind: 'card', verdict: 'pass', sealed: vault.seal(cardPhoto.bytes, photoAad(cardPhoto.sha256)), bytes: 1024, createdAt: new Date().toISOString() })
    const card = { sha256: cardPhoto.sha256 }
    const r = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i), photos: { face, card } }) })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
  }
  const claim = createOutboxRepository(conn).claimBatch(new Date().toISOString(), RECORDS, 1 << 30, uuidv7)!
  const prepared = await prepareBatch(createBatchReader(conn), vault, { postId: DEMO_POST_ID, ...claim }, gzipSync)
  kiosk.close()
  return prepared.batch.gzipped.length / claim.recordIds.length
}

export async function run(): Promise<BenchSection> {
  const root = resolve(import.meta.dirname, '..', '..')
  const load = loadavg()[0]!.toFixed(1)
  const record = await recordBytes()
  // The face: the good-face fixture as a 1280×720 webcam frame (an enlargement, softer than a real webcam's: real
  // face photos come out larger at every quality; the ratio between qualities is what carries over).
  const fixture = readFileSync(join(root, 'test', 'fixtures', 'photos', 'good-face.jpg'))
  const faceFrame = await sharp(fixture).resize(1280, 720, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer()
  const detector = createFaceDetector({ modelDir: join(root, 'resources', 'models') })
  const faces = new Map<number, { bytes: number; pass: boolean }>()
  for (const quality of QUALITIES) {
    const stored = await processPhoto(faceFrame, 'face', { detector, thresholds: at('face', quality) })
    const again = await processPhoto(stored.jpeg, 'face', { detector })
    faces.set(quality, { bytes: stored.bytes, pass: stored.verdict === 'pass' && again.checks.filter((c) => c.id !== 'resolution').every((c) => c.ok) })
  }
  detector.dispose()

  const samples: KtpSample[] = []
  for (let seed = 1; samples.length < CARDS && seed < CARDS * 10; seed++) {
    const sample = await ktpSample(seed)
    if ((await processPhoto(sample.jpeg, 'card', { detector: null })).verdict === 'pass') samples.push(sample)
  }
  const worker = await buildKtpWorker()
  const reader = createThreadKtpReader({
    script: worker.script,
    regionsFile: join(root, 'resources', 'regions', 'regions.json'),
    logger: { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) },
    timeoutMs: 60_000,
  })
  const cards = new Map<number, { bytes: number[]; pass: number; nik: number }>()
  let fromFrame = 0
  try {
    for (const sample of samples) if ((await reader.read(sample.jpeg, TODAY)).decision.fields.nik === sample.card.nik) fromFrame++
    for (const quality of QUALITIES) {
      const tally = { bytes: [] as number[], pass: 0, nik: 0 }
      for (const sample of samples) {
        const stored = await processPhoto(sample.jpeg, 'card', { detector: null, thresholds: at('card', quality) })
        tally.bytes.push(stored.bytes)
        if ((await processPhoto(stored.jpeg, 'card', { detector: null })).verdict === 'pass') tally.pass++
        if ((await reader.read(stored.jpeg, TODAY)).decision.fields.nik === sample.card.nik) tally.nik++
      }
      cards.set(quality, tally)
    }
  } finally {
    await reader.close()
    worker.remove()
  }
  const n = samples.length
  const perRecord = (faceQ: number, cardQ: number) => faces.get(faceQ)!.bytes + mean(cards.get(cardQ)!.bytes) + 2 * PHOTO_FRAME_OVERHEAD + record
  return {
    title: 'Bytes on the wire per record (face + KTP photo + record, issue 23.3)',
    notes:
      `Stored photos as processPhoto writes them at each starting JPEG quality (mozjpeg; quality steps down only past the byte budget). ` +
      `Face: the good-face fixture as a 1280×720 frame, 480×640 stored; "checks" = the stored photo passes the face checks again (the detector finds the face, brightness, blur). ` +
      `KTP: ${n} generated e-KTP frames the card gate passes, 1000 px wide stored; "checks" = the stored photo passes the card checks again; ` +
      `"NIK read" = the KTP reader (Tesseract, the app's worker) reads the right NIK off the stored photo (off the camera frames themselves: ${fromFrame}/${n}). ` +
      `Record: a batch of ${RECORDS} records gzipped as the uploader sends it, per record (${record.toFixed(0)} B; the test drafts are much alike, real ones compress less, still well under a KB). Pack framing 37 B a photo; HTTP heads (~300 B a request) are shared by a pack's photos and not counted. ` +
      `1-minute load average at start: ${load}.`,
    figures: [
      ...QUALITIES.map((q) => ({
        name: `face at quality ${q}: bytes, checks`,
        value: `${kb(faces.get(q)!.bytes)}, ${faces.get(q)!.pass ? 'pass' : 'FAIL'}`,
      })),
      ...QUALITIES.map((q) => {
        const c = cards.get(q)!
        return { name: `KTP at quality ${q}: mean bytes, checks, NIK read`, value: `${kb(mean(c.bytes))}, ${c.pass}/${n}, ${c.nik}/${n}` }
      }),
      { name: 'record in its gzipped batch', value: `${record.toFixed(0)} B` },
      { name: 'per record before (face 88, KTP 88)', value: kb(perRecord(88, 88)) },
      {
        name: `per record after (face ${FACE_QUALITY}, KTP ${CARD_QUALITY}: the defaults)`,
        value: `${kb(perRecord(FACE_QUALITY, CARD_QUALITY))} (${(100 * (1 - perRecord(FACE_QUALITY, CARD_QUALITY) / perRecord(88, 88))).toFixed(0)} % fewer)`,
      },
    ],
  }
}

/** The defaults chosen from this bench (common/photo-thresholds.ts); reported as "after". */
const FACE_QUALITY = PhotoThresholds.parse({}).face.quality
const CARD_QUALITY = PhotoThresholds.parse({}).card.quality
