import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultPhotoThresholds } from '../../common/photo-thresholds'
import type { KtpFrameReader } from '../../main/services/ktp/worker-thread'
import { createThreadKtpReader } from '../../main/services/ktp/worker-thread'
import { processPhoto } from '../../main/services/photos'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { ktpSample } from '../fixtures/ktp/generate'
import { buildKtpWorker } from '../fixtures/ktp-worker'

/**
 * Issue 23.3: the stored photos are written at a quality chosen for the uplink (common/photo-thresholds.ts), and
 * that must not weaken what central gets: the stored KTP photo passes the same card checks again and the KTP reader
 * reads the card's NIK off it, as off the camera frame. (What each quality costs in bytes: the record-bytes bench.)
 */
const TODAY = new Date('2026-12-06T00:00:00')
let worker: Awaited<ReturnType<typeof buildKtpWorker>>
let reader: KtpFrameReader
beforeAll(async () => {
  worker = await buildKtpWorker()
  reader = createThreadKtpReader({ script: worker.script, regionsFile: join(resolve('resources'), 'regions', 'regions.json'), logger: createMemoryLogger(), timeoutMs: 60_000 })
})
afterAll(async () => {
  await reader?.close()
  worker?.remove()
})

describe('the stored KTP photo at the uplink quality', () => {
  it('passes the card checks again and the KTP reader reads its NIK, as off the camera frame', { timeout: 60_000 }, async () => {
    // The first generated card (from a fixed seed) that the gate passes and whose frame the reader reads.
    let found = null
    for (let seed = 1; seed < 40 && !found; seed++) {
      const sample = await ktpSample(seed)
      if ((await processPhoto(sample.jpeg, 'card', { detector: null })).verdict !== 'pass') continue
      if ((await reader.read(sample.jpeg, TODAY)).decision.fields.nik === sample.card.nik) found = sample
    }
    if (!found) throw new Error('no generated card both passes the gate and reads')
    const stored = await processPhoto(found.jpeg, 'card', { detector: null })
    expect(stored.verdict).toBe('pass')
    expect(stored.bytes).toBeLessThanOrEqual(defaultPhotoThresholds.card.maxBytes)
    expect((await reader.read(stored.jpeg, TODAY)).decision.fields.nik).toBe(found.card.nik)
    const again = await processPhoto(stored.jpeg, 'card', { detector: null })
    expect(again.checks.filter((c) => !c.ok)).toEqual([])
  })
})
