import { Worker } from 'node:worker_threads'
import type { CentralClientOptions } from '../central/client'
import type { Logger, LogLevel } from '../platform/logger'
import type { PackLimits } from './prepare'
import { DEFAULT_PACK_LIMITS } from './prepare'
import type { UploadWorker } from './worker'

/** What the worker is started with (workerData). The key is the vault's master key: it never leaves the process. */
export interface UploadWorkerData {
  dbFile: string
  masterKey: Uint8Array
  nativeBinding?: string
  limits: PackLimits
  /** The worker's own client for the photos (Node's http, as main's); null on a kiosk without a token. */
  central: CentralClientOptions | null
  photoConcurrency: number
  /** While it has calls in hand, the worker says it is alive this often (main's watchdog listens). */
  aliveMs: number
}

type QueueMethod = Exclude<keyof UploadWorker, 'close'>
export type WorkerRequest = { [M in QueueMethod]: { id: number; method: M; args: Parameters<UploadWorker[M]> } }[QueueMethod]
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; code?: string } }
/** Replies, the worker's log lines (main owns the logger), and its sign of life while calls are in hand. */
export type WorkerMessage = WorkerReply | { log: { level: LogLevel; message: string; fields?: Record<string, unknown> } } | { alive: true }

export interface WorkerQueueOptions {
  /** The built worker entry (dist/main/upload-worker.cjs; tests build their own from upload-worker.ts). */
  script: string
  dbFile: string
  masterKey: Buffer
  nativeBinding?: string
  limits?: PackLimits
  central: Pick<CentralClientOptions, 'baseUrl' | 'token'> | null
  photoConcurrency?: number
  logger: Logger
  /**
   * A worker silent this long while calls are pending is stopped and they fail (the uploader backs off). Silent,
   * not slow: a worker sending a batch's photos over a slow link says it is alive meanwhile, so only one whose
   * thread is stuck is stopped.
   */
  timeoutMs?: number
}

/**
 * The upload queue in a worker thread with its own connection to the kiosk database and its own client to
 * central: claiming, reading, decrypting, packing, gzipping, sending the photos and marking never run on main's
 * event loop, and the photo megabytes never cross to main (the small gzipped batch comes back transferred). The
 * worker starts on first use and again after it dies; it holds the process open only while a call is pending. A
 * call cut off by a dying worker fails; what it committed stays committed (a batch it claimed goes back to the
 * queue at the next run's recoverInterrupted, under its own id).
 */
export function createThreadUploadWorker(options: WorkerQueueOptions): UploadWorker {
  const timeoutMs = options.timeoutMs ?? 60_000
  const pending = new Map<number, { method: QueueMethod; resolve(value: unknown): void; reject(e: Error): void }>()
  let worker: Worker | null = null
  let watchdog: NodeJS.Timeout | null = null
  let seq = 0
  let closed = false

  const failAll = (error: Error) => {
    for (const [id, call] of [...pending]) {
      pending.delete(id)
      call.reject(error)
    }
    quiet()
  }
  const stop = async (reason: Error) => {
    const current = worker
    worker = null
    failAll(reason)
    await current?.terminate()
  }
  /** No call pending: the watchdog rests and the worker does not hold the process open. */
  const quiet = () => {
    if (watchdog) clearTimeout(watchdog)
    watchdog = null
    worker?.unref()
  }
  /** Any word from the worker restarts the watchdog while calls are pending; a first call starts it. */
  const watch = (w: Worker) => {
    if (watchdog) clearTimeout(watchdog)
    watchdog = setTimeout(() => {
      watchdog = null
      if (worker !== w || pending.size === 0) return
      const methods = [...new Set([...pending.values()].map((c) => c.method))]
      options.logger.error('upload worker did not answer: restarting it', { methods, timeoutMs })
      void stop(new Error(`upload worker did not answer in ${timeoutMs} ms`))
    }, timeoutMs)
  }

  const start = (): Worker => {
    const data: UploadWorkerData = {
      dbFile: options.dbFile,
      masterKey: new Uint8Array(options.masterKey),
      nativeBinding: options.nativeBinding,
      limits: options.limits ?? DEFAULT_PACK_LIMITS,
      central: options.central,
      photoConcurrency: options.photoConcurrency ?? 2,
      aliveMs: Math.max(10, Math.min(1000, Math.floor(timeoutMs / 4))),
    }
    const w = new Worker(options.script, { workerData: data })
    w.on('message', (message: WorkerMessage) => {
      if (worker === w && pending.size > 0) watch(w)
      if ('alive' in message) return
      if ('log' in message) return options.logger[message.log.level](message.log.message, message.log.fields)
      const reply = message
      const call = pending.get(reply.id)
      if (!call) return
      pending.delete(reply.id)
      if (pending.size === 0) quiet()
      if (reply.ok) call.resolve(reply.value)
      else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, ...(reply.error.code ? { code: reply.error.code } : {}) }))
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

  function call<M extends QueueMethod>(method: M, ...args: Parameters<UploadWorker[M]>): ReturnType<UploadWorker[M]> {
    if (closed) return Promise.reject(new Error('upload worker closed')) as ReturnType<UploadWorker[M]>
    worker ??= start()
    const w = worker
    const id = ++seq
    return new Promise((resolve, reject) => {
      pending.set(id, { method, resolve, reject })
      w.ref()
      if (!watchdog) watch(w)
      w.postMessage({ id, method, args } as WorkerRequest)
    }) as ReturnType<UploadWorker[M]>
  }

  return {
    recoverInterrupted: () => call('recoverInterrupted'),
    next: (request) => call('next', request),
    sendPhotos: (batchId, nowIso) => call('sendPhotos', batchId, nowIso),
    applyResults: (results, nowIso) => call('applyResults', results, nowIso),
    reschedule: (ids, nextAttemptAt, error, inDoubt) => call('reschedule', ids, nextAttemptAt, error, inDoubt),
    forgetBatch: (ids) => call('forgetBatch', ids),
    close() {
      closed = true
      return stop(new Error('upload worker closed'))
    },
  }
}
