import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { loadRegionIndex } from '../regions/load'
import { readFrame } from './read'
import type { OcrEngine } from './tesseract'
import { createTesseractEngine } from './tesseract'
import type { KtpWorkerData, KtpWorkerReply, KtpWorkerRequest } from './worker-protocol'

/**
 * The KTP reader's thread (built to dist/main/ktp-worker.cjs, as the upload worker is): decoding, straightening,
 * Tesseract and parsing all run here, never on main's event loop. Frames are read one at a time in arrival order;
 * Tesseract starts on the first frame and stays up.
 */
const data = workerData as KtpWorkerData
const port = parentPort
if (!port) throw new Error('ktp worker-entry.ts runs as a worker thread')

let engine: Promise<OcrEngine> | null = null
let chain: Promise<void> = Promise.resolve()

async function answer(request: KtpWorkerRequest): Promise<KtpWorkerReply> {
  const started = performance.now()
  try {
    engine ??= createTesseractEngine()
    const read = await readFrame(await engine, Buffer.from(request.jpeg.buffer, request.jpeg.byteOffset, request.jpeg.byteLength), {
      regions: loadRegionIndex(data.regionsFile),
      today: new Date(request.today),
    })
    return { id: request.id, ok: true, value: { cardFound: read.cardFound, decision: read.decision, millis: performance.now() - started } }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    return { id: request.id, ok: false, error: { name: e.name, message: e.message } }
  }
}

port.on('message', (request: KtpWorkerRequest) => {
  chain = chain.then(async () => port.postMessage(await answer(request)))
})
