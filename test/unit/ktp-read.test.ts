import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KtpReading } from '../../common/ktp'
import type { Result } from '../../common/result'
import { ktpSample } from '../fixtures/ktp/generate'
import { buildKtpWorker } from '../fixtures/ktp-worker'
import { openKiosk } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

let worker: Awaited<ReturnType<typeof buildKtpWorker>>
beforeAll(async () => {
  worker = await buildKtpWorker()
})
afterAll(() => worker?.remove())

describe('reading a generated KTP through the KTP worker (real Tesseract)', () => {
  it('offers the NIK, name and birth data of the card; frames that disagree withdraw the NIK; no card, nothing', { timeout: 60_000 }, async () => {
    const { kiosk } = openKiosk({ ktp: { workerScript: worker.script } })
    const [a, b] = await Promise.all([ktpSample(7), ktpSample(5)])
    const read = (jpeg: Buffer, session: string) => kiosk.call('ktp.read', { jpegBase64: jpeg.toString('base64'), session }).then(value<KtpReading>)

    const first = await read(a.jpeg, 'scan-1')
    expect(first.cardFound).toBe(true)
    expect(first.fields).toMatchObject({ nik: a.card.nik, fullName: a.card.name, birthDate: a.card.birthDate, sex: a.card.sex, districtCode: a.card.districtCode })
    // Religion and marital status are printed on the card and never come back.
    expect(JSON.stringify(first)).not.toContain(a.card.religion)
    expect(JSON.stringify(first)).not.toContain(a.card.maritalStatus)

    // Another card in the same scan: the frames disagree, so neither NIK is offered.
    const mixed = await read(b.jpeg, 'scan-1')
    expect(mixed.fields.nik).toBeUndefined()
    expect(mixed.refused.nik).toBe('frames_disagree')
    expect(mixed.frames).toBe(2)

    const desk = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 70, b: 50 } } }).jpeg().toBuffer()
    expect(await read(desk, 'scan-2')).toMatchObject({ cardFound: false, fields: {} })
  })

  it('answers unavailable on a kiosk without the reader', async () => {
    const { kiosk } = openKiosk()
    const result = await kiosk.call('ktp.read', { jpegBase64: Buffer.from('x').toString('base64'), session: 's' })
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})
