import { parentPort, workerData } from 'node:worker_threads'
import { gzipSync } from 'node:zlib'
import { v7 as uuidv7 } from 'uuid'
import { createCentralClient } from '../central/client'
import type { Logger, LogLevel } from '../platform/logger'
import { createVault } from '../security/vault'
import { openDatabase } from '../store/db'
import type { NextBatch } from './worker'
import { createInlineUploadWorker } from './worker'
import type { UploadWorkerData, WorkerMessage, WorkerRequest } from './worker-thread'

/**
 * The upload worker's entry (built to dist/main/upload-worker.cjs): the upload queue on a connection of its own
 * (main opened and migrated the database first), with its own client to central for the photos. Its blocking work
 * (SQLite, AES-GCM, gzip) and the photo megabytes stay on this thread, never on main's event loop.
 */
const data = workerData as UploadWorkerData
const port = parentPort
if (!port) throw new Error('upload-worker.ts runs as a worker thread')

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)
const forward = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => post({ log: { level, message, fields } })
const logger: Logger = { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') }

const db = openDatabase(data.dbFile, { nativeBinding: data.nativeBinding })
const queue = createInlineUploadWorker(db, createVault(Buffer.from(data.masterKey)), {
  client: data.central ? createCentralClient(data.central) : null,
  photoConcurrency: data.photoConcurrency,
  logger,
  limits: data.limits,
  gzip: gzipSync,
  newBatchId: uuidv7,
})

/** A buffer that owns its whole ArrayBuffer can be transferred; a view into a pool slab must be copied first. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes)
}

function transferable(next: NextBatch): { value: NextBatch; transfer: ArrayBuffer[] } {
  if (next.kind !== 'batch') return { value: next, transfer: [] }
  const gzipped = owned(next.batch.gzipped)
  return { value: { ...next, batch: { ...next.batch, gzipped } }, transfer: [gzipped.buffer as ArrayBuffer] }
}

/** Runs one call. Only `next` carries bytes (the gzipped batch), which are transferred rather than copied. */
async function answer(request: WorkerRequest): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  if (request.method === 'next') return transferable(await queue.next(...request.args))
  // WorkerRequest is derived from UploadWorker's methods, so the call matches the method's parameters.
  const method = queue[request.method] as (...args: unknown[]) => Promise<unknown>
  return { value: await method(...request.args) }
}

/** Calls in hand. While there are any, main hears that this thread is alive (its watchdog stops a stuck worker). */
let busy = 0
setInterval(() => {
  if (busy > 0) post({ alive: true })
}, data.aliveMs).unref()

port.on('message', async (request: WorkerRequest) => {
  busy++
  try {
    const reply = await answer(request)
    post({ id: request.id, ok: true, value: reply.value }, reply.transfer)
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    // The code crosses too: main tells a full disk (SQLITE_FULL) from a bug.
    const code = (e as { code?: unknown }).code
    post({ id: request.id, ok: false, error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } })
  } finally {
    busy--
  }
})
