import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { createFaceDetector, processPhoto } from '../../main/services/photos'
import type { BenchSection } from './measure'
import { ms, percentile, sample } from './measure'

/**
 * The photo step between "Ambil foto" and the quality verdict on screen: decode, orient, (detect,) crop, measure,
 * mozjpeg. Input is a 1280×720 webcam-sized JPEG made from the good-face fixture.
 */
export async function run(): Promise<BenchSection> {
  const root = resolve(import.meta.dirname, '..', '..')
  const fixture = readFileSync(join(root, 'test', 'fixtures', 'photos', 'good-face.jpg'))
  const frame = await sharp(fixture).resize(1280, 720, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer()
  const card = readFileSync(join(root, 'test', 'fixtures', 'photos', 'card-ktp.jpg'))
  // p99 on a shared machine mostly measures the neighbours; the load average says how much.
  const load = loadavg()[0]!.toFixed(1)

  const plain = await sample(200, () => processPhoto(frame, 'face', { detector: null }), 20)

  const started = performance.now()
  const detector = createFaceDetector({ modelDir: join(root, 'resources', 'models') })
  await detector.detect(new Uint8Array(32 * 32 * 3), 32, 32)
  const loadMs = performance.now() - started
  const detected = await sample(100, () => processPhoto(frame, 'face', { detector }), 10)
  const detectOnly = await sample(100, () => detector.detect(new Uint8Array(640 * 360 * 3), 640, 360), 10)
  detector.dispose()

  const cards = await sample(100, () => processPhoto(card, 'card', { detector: null }), 10)
  const p = (times: number[]) => `${ms(percentile(times, 50))} / ${ms(percentile(times, 99))}`
  const p99 = (times: number[]) => percentile(times, 99)
  return {
    title: 'Photo pipeline (processPhoto, sharp + mozjpeg, blazeface on WASM)',
    notes:
      '1280×720 JPEG frame → 480×640 face photo; 1280×720 card → 1000 px wide. Sequential calls after warm-up; ' +
      `sharp runs on libuv's thread pool, so the core count matters; 1-minute load average at start: ${load}.`,
    figures: [
      { name: 'face, no detection p50 / p99', value: p(plain), goal: '≤ 40 ms p99', met: p99(plain) <= 40 },
      { name: 'face, with detection p50 / p99', value: p(detected) },
      { name: 'blazeface alone on a 640×360 copy p50 / p99', value: p(detectOnly) },
      { name: 'detector first load (Human + WASM + model)', value: ms(loadMs) },
      { name: 'card p50 / p99', value: p(cards) },
    ],
  }
}
