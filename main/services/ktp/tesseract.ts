import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import type { Worker as TesseractWorker } from 'tesseract.js'

/**
 * Tesseract (tesseract.js 7: Tesseract's LSTM engine compiled to WASM) with the English model from the npm package
 * @tesseract.js-data/eng, so nothing is downloaded at run time: `langPath` is the package's own folder and
 * `cacheMethod: 'none'` keeps it from writing a cache. The KTP's text is Latin capitals and digits, which the
 * English model reads; no Indonesian model is packaged on npm. tesseract.js runs the engine in a worker thread of
 * its own; this module is loaded only inside the KTP worker (worker-entry.ts), so none of it touches main's loop.
 */

export interface OcrWord {
  text: string
  confidence: number
}

export interface OcrLine {
  text: string
  confidence: number
  words: OcrWord[]
  /** Per character, for the NIK: the weakest digit decides. */
  symbols: OcrWord[]
}

export type PageMode = 'line' | 'block'

export interface OcrEngine {
  /** Reads a PNG; `whitelist` limits the characters Tesseract may answer. */
  read(png: Buffer, mode: PageMode, whitelist?: string): Promise<OcrLine[]>
  close(): Promise<void>
}

const IN_ASAR = `${sep}app.asar${sep}`
/** The model is read by path: name the copy electron-builder unpacked (electron-builder.yml asarUnpack). */
const unpacked = (path: string) => path.replace(IN_ASAR, `${sep}app.asar.unpacked${sep}`)

/**
 * Only the model's folder is named: tesseract.js in Node requires its core by package name and starts its worker
 * script from its own folder (both inside the asar, with their dependencies; Electron's worker threads read it).
 */
export function tesseractPaths(): { langPath: string } {
  // The CommonJS bundle has its own require; under ESM (vitest, tsx) the repo root, where they run, stands in.
  const resolver = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'))
  const langPath = join(unpacked(dirname(resolver.resolve('@tesseract.js-data/eng/package.json'))), '4.0.0_best_int')
  return { langPath }
}

export async function createTesseractEngine(): Promise<OcrEngine> {
  const Tesseract = await import('tesseract.js')
  const paths = tesseractPaths()
  const worker: TesseractWorker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
    ...paths,
    cacheMethod: 'none',
    gzip: true,
  })
  // The bands come without a resolution; Tesseract would guess (and warn on every call).
  await worker.setParameters({ user_defined_dpi: '300' })
  let current = ''
  return {
    async read(png, mode, whitelist = '') {
      const key = `${mode}|${whitelist}`
      if (key !== current) {
        await worker.setParameters({
          tessedit_pageseg_mode: mode === 'line' ? Tesseract.PSM.SINGLE_LINE : Tesseract.PSM.SINGLE_BLOCK,
          tessedit_char_whitelist: whitelist,
        })
        current = key
      }
      const { data } = await worker.recognize(png, {}, { text: true, blocks: true })
      const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines))
      return lines.map((line) => ({
        text: line.text.trim(),
        confidence: line.confidence,
        words: line.words.map((w) => ({ text: w.text, confidence: w.confidence })),
        symbols: line.words.flatMap((w) => w.symbols.map((s) => ({ text: s.text, confidence: s.confidence }))),
      }))
    },
    async close() {
      await worker.terminate()
    },
  }
}
