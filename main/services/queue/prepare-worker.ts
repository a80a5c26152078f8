import { parentPort, workerData } from 'node:worker_threads'
import { gzipSync } from 'node:zlib'
import { createVault } from '../security/vault'
import { openReadOnlyDatabase } from '../store/db'
import { createUploadReader } from '../store/upload-reader'
import { PrepareError, prepareBatch } from './prepare'
import type { PreparedBatch } from './prepare'
import type { UploadWorkerData, WorkerReply, WorkerRequest } from './preparer'

/**
 * The upload worker's entry (built to dist/main/upload-worker.cjs). It owns a read-only connection and a vault,
 * and answers one PrepareRequest at a time; its blocking work (SQLite reads, AES-GCM, gzip) is off main's loop.
 */
const data = workerData as UploadWorkerData
const port = parentPort
if (!port) throw new Error('prepare-worker.ts runs as a worker thread')
const db = openReadOnlyDatabase(data.dbFile, { nativeBinding: data.nativeBinding })
const vault = createVault(Buffer.from(data.masterKey))
const reader = createUploadReader(db)

/** A buffer that owns its whole ArrayBuffer can be transferred; a view into a shared pool slab must be copied. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer) ? bytes : new Uint8Array(bytes)
}

port.on('message', async ({ id, request }: WorkerRequest) => {
  try {
    const value = await prepareBatch(reader, vault, request, data.limits, gzipSync)
    const prepared: PreparedBatch = {
      batch: { ...value.batch, gzipped: owned(value.batch.gzipped) },
      packs: value.packs.map((p) => ({ sha256s: p.sha256s, body: owned(p.body) })),
    }
    const transfer = [prepared.batch.gzipped, ...prepared.packs.map((p) => p.body)].map((b) => b.buffer as ArrayBuffer)
    port.postMessage({ id, ok: true, prepared } satisfies WorkerReply, transfer)
  } catch (error) {
    port.postMessage(failure(id, error) satisfies WorkerReply)
  }
})

function failure(id: number, error: unknown): WorkerReply {
  const e = error instanceof Error ? error : new Error(String(error))
  return {
    id,
    ok: false,
    error: { name: e.name, message: e.message, ...(e instanceof PrepareError ? { reason: e.reason, recordId: e.recordId } : {}) },
  }
}
