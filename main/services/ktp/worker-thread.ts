import { Worker } from 'node:worker_threads'
import type { Logger } from '../platform/logger'
import type { KtpFrameResult, KtpWorkerData, KtpWorkerReply, KtpWorkerRequest } from './worker-protocol'

export interface KtpFrameReader {
  read(jpeg: Uint8Array, today: Date): Promise<KtpFrameResult>
  close(): Promise<void>
}

export interface KtpThreadOptions {
  /** The built worker entry (dist/main/ktp-worker.cjs; tests build their own, test/fixtures/ktp-worker.ts). */
  script: string
  regionsFile: string
  logger: Logger
  /** A frame not answered in this long fails and the worker is restarted (first frame includes Tesseract's start). */
  timeoutMs?: number
}

/**
 * The KTP worker seen from main: frames go in (transferred), checked fields come back. Started on first use and
 * again after it dies; it holds the process open only while a frame is pending. Like the upload worker
 * (upload/worker-thread.ts), a stuck thread is stopped and its calls fail; the step then offers manual entry.
 */
export function createThreadKtpReader(options: KtpThreadOptions): KtpFrameReader {
  const timeoutMs = options.timeoutMs ?? 20_000
  const pending = new Map<number, { resolve(value: KtpFrameResult): void; reject(e: Error): void; timer: NodeJS.Timeout }>()
  let worker: Worker | null = null
  let seq = 0
  let closed = false

  const failAll = (error: Error) => {
    for (const [id, call] of [...pending]) {
      pending.delete(id)
      clearTimeout(call.timer)
      call.reject(error)
    }
  }
  const stop = async (reason: Error) => {
    const current = worker
    worker = null
    failAll(reason)
    await current?.terminate()
  }
  const start = (): Worker => {
    const data: KtpWorkerData = { regionsFile: options.regionsFile }
    const w = new Worker(options.script, { workerData: data })
    w.on('message', (reply: KtpWorkerReply) => {
      const call = pending.get(reply.id)
      if (!call) return
      pending.delete(reply.id)
      clearTimeout(call.timer)
      if (pending.size === 0) w.unref()
      if (reply.ok) call.resolve(reply.value)
      else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }))
    })
    w.on('error', (error) => {
      options.logger.error('ktp worker failed', { error: error.message })
      if (worker === w) void stop(error)
    })
    w.on('exit', (code) => {
      if (worker !== w) return
      worker = null
      failAll(new Error(`ktp worker exited (${code})`))
    })
    return w
  }

  return {
    read(jpeg, today) {
      if (closed) return Promise.reject(new Error('ktp worker closed'))
      worker ??= start()
      const w = worker
      const id = ++seq
      // A copy the worker owns, transferred: the caller's buffer may be a view into a shared pool.
      const bytes = new Uint8Array(jpeg)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          if (!pending.has(id)) return
          options.logger.error('ktp worker did not answer: restarting it', { timeoutMs })
          if (worker === w) void stop(new Error(`ktp worker did not answer in ${timeoutMs} ms`))
        }, timeoutMs)
        pending.set(id, { resolve, reject, timer })
        w.ref()
        w.postMessage({ id, jpeg: bytes, today: today.toISOString() } satisfies KtpWorkerRequest, [bytes.buffer])
      })
    },
    close() {
      closed = true
      return stop(new Error('ktp worker closed'))
    },
  }
}
