import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cutToInk } from '../../main/services/ktp/ink'
import { normaliseCard } from '../../main/services/ktp/locate'
import { BANDS, NAME_REREAD, rereadName } from '../../main/services/ktp/read'
import type { OcrEngine } from '../../main/services/ktp/tesseract'
import { createTesseractEngine } from '../../main/services/ktp/tesseract'
import { frameOptions, makeKtp, renderFrame } from '../fixtures/ktp/generate'

let engine: OcrEngine
beforeAll(async () => {
  engine = await createTesseractEngine()
}, 60_000)
afterAll(() => engine?.close())

describe("the name line's second read (real Tesseract)", () => {
  it('cuts the line to its text and reads a short name the wide band loses', { timeout: 60_000 }, async () => {
    // Seed 1: NOVI SARI, a short name at the left of the band. Cut as the other bands are (cutBand, 1.5x and
    // sharpened) and read in line mode, Tesseract took the empty paper and the guilloche's wave for part of the
    // line and answered "CT"; the cut to ink leaves them out.
    const truth = makeKtp(1)
    const card = await normaliseCard(await renderFrame(truth, 100, frameOptions(1)))
    const cut = await sharp((await cutToInk(card, BANDS.name, { factor: 1, sharpen: false }))!).metadata()
    const band = (BANDS.name[2] - BANDS.name[0]) * card.width
    expect(cut.width).toBeLessThan(band / 2)
    expect(await rereadName(engine, card, NAME_REREAD)).toMatchObject({ value: truth.name })
  })

  it('finds no text on blank paper', async () => {
    const gray = Buffer.alloc(1400 * 883, 200)
    expect(await cutToInk({ gray, width: 1400, height: 883, location: { angle: 0, coverage: 1 } }, BANDS.name, NAME_REREAD)).toBeNull()
  })
})
