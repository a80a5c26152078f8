import { Worker } from 'node:worker_threads'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import type { Logger } from '../logger'
import type { Vault } from '../security/vault'
import type { UploadReader } from '../store/upload-reader'
import type { PackLimits, PrepareRequest, PreparedBatch } from './prepare'
import { DEFAULT_PACK_LIMITS, PrepareError, prepareBatch } from './prepare'

const gzip = promisify(gzipCallback)

/** Turns a claimed batch into request bodies: in the upload worker, or inline where there is none. */
export interface BatchPreparer {
  prepare(request: PrepareRequest): Promise<PreparedBatch>
  close(): Promise<void>
}

/** On this thread: for tests and tools. Reading and decrypting a batch's photos then blocks the event loop. */
export function createInlinePreparer(reader: UploadReader, vault: Vault, limits: PackLimits = DEFAULT_PACK_LIMITS): BatchPreparer {
  return {
    prepare: (request) => prepareBatch(reader, vault, request, limits, gzip),
    close: async () => undefined,
  }
}

/** What the worker is started with (workerData). The key is the vault's master key: it never leaves the process. */
export interface UploadWorkerData {
  dbFile: string
  masterKey: Uint8Array
  nativeBinding?: string
  limits: PackLimits
}

export type WorkerRequest = { id: number; request: PrepareRequest }
export type WorkerReply =
  | { id: number; ok: true; prepared: PreparedBatch }
  | { id: number; ok: false; error: { name: string; message: string; reason?: PrepareError['reason']; recordId?: string } }

export interface WorkerPreparerOptions {
  /** The built worker entry (dist/main/upload-worker.cjs; tests build their own from prepare-worker.ts). */
  script: string
  dbFile: string
  masterKey: Buffer
  nativeBinding?: string
  limits?: PackLimits
  logger: Logger
  /** A worker that has not answered in this long is stopped, and the call fails (the uploader backs off). */
  timeoutMs?: number
}

/**
 * Runs `prepareBatch` in a worker thread with its own read-only connection, so that reading and decrypting
 * megabytes of photos never stalls the UI's event loop. Bodies come back as transferred buffers (no copy). The
 * worker starts on first use and again after it dies; it holds the process open only while a call is pending.
 */
export function createWorkerPreparer(options: WorkerPreparerOptions): BatchPreparer {
  const timeoutMs = options.timeoutMs ?? 60_000
  const pending = new Map<number, { resolve(p: PreparedBatch): void; reject(e: Error): void; timer: NodeJS.Timeout }>()
  let worker: Worker | null = null
  let seq = 0
  let closed = false

  const settle = (id: number) => {
    const call = pending.get(id)
    if (!call) return undefined
    clearTimeout(call.timer)
    pending.delete(id)
    if (pending.size === 0) worker?.unref()
    return call
  }

  const failAll = (error: Error) => {
    for (const id of [...pending.keys()]) settle(id)?.reject(error)
  }

  const stop = (reason: Error) => {
    const current = worker
    worker = null
    failAll(reason)
    return current ? current.terminate().then(() => undefined) : Promise.resolve()
  }

  const start = (): Worker => {
    const data: UploadWorkerData = {
      dbFile: options.dbFile,
      masterKey: new Uint8Array(options.masterKey),
      nativeBinding: options.nativeBinding,
      limits: options.limits ?? DEFAULT_PACK_LIMITS,
    }
    const w = new Worker(options.script, { workerData: data })
    w.on('message', (reply: WorkerReply) => {
      const call = settle(reply.id)
      if (!call) return
      if (reply.ok) return call.resolve(reply.prepared)
      const { name, message, reason, recordId } = reply.error
      call.reject(reason ? new PrepareError(reason, message, recordId) : Object.assign(new Error(message), { name }))
    })
    w.on('error', (error) => {
      options.logger.error('upload worker failed', { error: error.message })
      if (worker === w) void stop(error)
    })
    w.on('exit', (code) => {
      if (worker !== w) return
      worker = null
      failAll(new Error(`upload worker exited (${code})`))
    })
    return w
  }

  return {
    prepare(request) {
      if (closed) return Promise.reject(new Error('upload worker closed'))
      worker ??= start()
      const w = worker
      const id = ++seq
      return new Promise<PreparedBatch>((resolve, reject) => {
        const timer = setTimeout(() => {
          options.logger.error('upload worker did not answer: restarting it', { timeoutMs })
          settle(id)
          reject(new Error(`upload worker did not answer in ${timeoutMs} ms`))
          if (worker === w) void stop(new Error('upload worker restarted'))
        }, timeoutMs)
        pending.set(id, { resolve, reject, timer })
        w.ref()
        w.postMessage({ id, request } satisfies WorkerRequest)
      })
    },
    close() {
      closed = true
      return stop(new Error('upload worker closed'))
    },
  }
}
