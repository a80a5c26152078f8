import type { UploadErrorCode, UploadState, UploadStatus } from '../../../common/upload'
import type { CallFailure, CentralClient } from '../central/client'
import { mayHaveArrived } from '../central/client'
import { isDiskFull } from '../platform/disk'
import type { Logger } from '../platform/logger'
import type { OutboxRepository } from '../store/outbox'
import type { BackoffPolicy } from './backoff'
import { backoffDelay, breakerOpen, DEFAULT_BACKOFF } from './backoff'
import type { Clock } from '../platform/clock'
import type { NextBatch, UploadWorker } from './worker'
import { createDrainRate } from './drain-rate'
import { MAX_LOOKAHEAD } from './worker'

export interface BatchLimits {
  maxRecords: number
  /** Sealed record bytes per batch (about the JSON's size); central refuses 8 MB, so stay well under. */
  maxBytes: number
}

export const DEFAULT_LIMITS: BatchLimits = { maxRecords: 200, maxBytes: 2 * 1024 * 1024 }

/**
 * Enough batches ahead that central has the next photos while it checks a batch's records (a stage trace on
 * loopback: with 1 ahead central sat idle ~40 % of a bulk upload, with 3 ~20 %; 4 gained nothing more).
 */
const DEFAULT_LOOKAHEAD = 3

/**
 * A batch whose connection was reset mid-request (a link that drops every few MB) goes again at once, this many
 * times, before the run backs off: the backoff's seconds cost a fast link far more than the cut did. Safe because
 * the batch keeps its key, and central answers a repeated batch with the answer it gave (or applies it once); a
 * link that is down fails as unreachable or by its deadline, which are not retried here.
 */
export const CUT_RETRIES = 2
const cutMidRequest = (failure: CallFailure) => failure.kind === 'transient' && failure.reason === 'network'

/** How long a record that cannot be opened waits before it is tried again; it must not hold up the others. */
const UNREADABLE_RETRY_MS = 24 * 60 * 60 * 1000

export interface UploaderOptions {
  postId: string
  /** Main's outbox, for the pending count the state shows. */
  outbox: Pick<OutboxRepository, 'pending'>
  /** Every read and write of an upload: the upload worker in the kiosk (queue/worker-queue.ts). */
  queue: UploadWorker
  client: CentralClient | null
  clock: Clock
  random?: () => number
  logger: Logger
  limits?: Partial<BatchLimits>
  backoff?: Partial<BackoffPolicy>
  /** While idle, look for due work this often (records whose Retry-After passed, missed notifications). */
  pollMs?: number
  /**
   * Batches claimed, encoded and their photos sent ahead of the one whose records are on the wire (default 3, at
   * most MAX_LOOKAHEAD); 0 uploads strictly one request at a time.
   */
  lookahead?: number
  /** A quiet moment after a new record before uploading, so a burst of submits goes out as one batch. */
  debounceMs?: number
  lastSyncAt: string | null
  onState(state: UploadState): void
  onSynced(atIso: string): void
  onRecordsChanged(): void
}

/**
 * A promise awaited later (a batch claimed ahead) may reject before anyone awaits it; unmarked, that is an
 * unhandled rejection, which ends a plain Node process. The rejection still reaches whoever awaits it.
 */
function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

export interface Uploader {
  start(): void
  /** For good: the kiosk is closing. No more timers or state events, even from a run still in flight. */
  stop(): void
  /** A record was committed: upload soon. */
  notify(): void
  /** Staff pressed "upload now": forget backoff, breaker and an auth stop, and run. */
  uploadNow(): UploadState
  /** Runs until the queue is empty or a failure stops it. Resolves when this run (or the one in progress) ends. */
  runOnce(): Promise<void>
  state(): UploadState
}

function errorCode(failure: CallFailure): UploadErrorCode {
  switch (failure.kind) {
    case 'auth':
      return 'auth'
    case 'retry_after':
      return 'overloaded'
    case 'transient':
      return failure.reason === 'timeout' ? 'timeout' : failure.reason === 'network' || failure.reason === 'unreachable' ? 'network' : 'server_error'
    case 'malformed':
      return 'bad_answer'
    case 'bad_request':
    case 'too_large':
    case 'conflict':
    case 'unsupported':
      return 'refused'
    default: {
      const never: never = failure
      throw new Error(`unhandled failure ${String(never)}`)
    }
  }
}

/**
 * The background uploader (DESIGN.md §7). One run at a time; states change only from a parsed answer, so a
 * crash anywhere loses nothing (rows stay in the outbox) and duplicates nothing (the batch id is persisted before
 * sending, and central answers a re-sent batch or record id with its first answer).
 */
export function createUploader(options: UploaderOptions): Uploader {
  const { outbox, queue, clock, logger } = options
  const random = options.random ?? Math.random
  const limits: BatchLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff }
  const pollMs = options.pollMs ?? 60_000
  const debounceMs = options.debounceMs ?? 1_000
  const lookahead = Math.min(MAX_LOOKAHEAD, Math.max(0, options.lookahead ?? DEFAULT_LOOKAHEAD))

  let status: UploadStatus = options.client ? 'idle' : 'not_configured'
  let failures = 0
  let lastError: UploadErrorCode | null = null
  let lastSyncAt = options.lastSyncAt
  let nextAttemptAt: number | null = null
  let progress: UploadState['progress'] = null
  let current: Promise<void> | null = null
  let again = false
  let started = false
  let timer: unknown = null
  /** Shrinks after a 413 so the next batch fits; grows back after successes. */
  let batchCap = limits.maxRecords
  /** Records per second of upload: the estimate staff see, and batches sized to the link (drain-rate.ts). */
  const rate = createDrainRate()

  const snapshot = (): UploadState => {
    const pending = outbox.pending()
    const secondsLeft = progress ? rate.secondsFor(pending) : null
    return {
      status,
      pending,
      lastSyncAt,
      lastError,
      nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
      progress: progress && secondsLeft !== null ? { ...progress, secondsLeft } : progress,
    }
  }
  /** Set by stop(): the kiosk is closing, and a run cut short by it must not report into a closed store. */
  let stopped = false
  const publish = () => {
    if (!stopped) options.onState(snapshot())
  }

  function schedule(ms: number): void {
    if (!started) return
    if (timer !== null) clock.clearTimeout(timer)
    timer = clock.setTimeout(() => {
      timer = null
      void tick()
    }, Math.max(0, ms))
  }

  async function tick(): Promise<void> {
    // After repeated failures, a cheap health probe decides whether real traffic may resume.
    if (breakerOpen(failures, policy) && options.client) {
      const healthy = await options.client.health()
      if (!healthy) {
        failures++
        return wait(backoffDelay(failures, policy, random), 'offline')
      }
    }
    await runOnce()
    if (status === 'idle') schedule(pollMs)
  }

  function wait(ms: number, next: UploadStatus): void {
    status = next
    nextAttemptAt = clock.now() + ms
    progress = null
    publish()
    schedule(ms)
  }

  /** `posted`: the batch's records were in the request that failed (not only its photos). */
  async function fail(failure: CallFailure, ids: readonly string[], posted: boolean): Promise<void> {
    lastError = errorCode(failure)
    const nowMs = clock.now()
    if (failure.kind === 'auth') {
      // The post token is wrong or revoked: retrying cannot help and may lock the post out. Stop and alert.
      await queue.reschedule(ids, null, 'auth')
      logger.error('central refused the post token: uploads stopped', { status: failure.status })
      status = 'auth_error'
      nextAttemptAt = null
      progress = null
      publish()
      return
    }
    if (failure.kind === 'retry_after') {
      // Central said exactly how long: honour it for these rows and for the uploader as a whole.
      const until = nowMs + failure.seconds * 1000
      await queue.reschedule(ids, new Date(until).toISOString(), `retry_after_${failure.status}`)
      logger.warn('central asked to wait', { seconds: failure.seconds, status: failure.status })
      return wait(failure.seconds * 1000, 'waiting')
    }
    failures++
    const error = failure.kind === 'malformed' || failure.kind === 'transient' || failure.kind === 'bad_request' ? `${failure.kind}:${failure.reason}` : failure.kind
    // Central may hold these records already: they stay out of staff's edits until it answers for them.
    await queue.reschedule(ids, null, error, posted && mayHaveArrived(failure))
    logger.warn('upload failed', { kind: failure.kind, failures })
    wait(backoffDelay(failures, policy, random), breakerOpen(failures, policy) ? 'offline' : 'waiting')
  }

  /** A record that cannot be opened leaves the batch and waits a day, logged; the rest go in a fresh batch. */
  async function setAside(recordId: string, claimed: readonly string[]): Promise<void> {
    await queue.forgetBatch(claimed)
    await queue.reschedule(claimed, null, 'unreadable_neighbour')
    await queue.reschedule([recordId], new Date(clock.now() + UNREADABLE_RETRY_MS).toISOString(), 'unreadable')
    logger.error('upload: record set aside, it cannot be opened', { recordId })
  }

  async function drain(): Promise<void> {
    const client = options.client
    if (!client) {
      status = 'not_configured'
      return publish()
    }
    status = 'running'
    nextAttemptAt = null
    await queue.recoverInterrupted()
    rate.runStarted(clock.now())
    const total = outbox.pending()
    let sent = 0
    progress = { sent, total }
    publish()
    let conflicts = 0
    const now = () => new Date(clock.now()).toISOString()
    // The next batches are claimed, encoded and their photos sent while one batch's records are on the wire:
    // the worker's reading of photos and central's storing of them overlap central's checking of records. Photos
    // still precede their records: a batch is posted only once its own photos are confirmed, and batches are
    // posted in the order they were claimed. Batches claimed ahead that this run does not send go back to the
    // queue under their ids.
    const ahead = async (): Promise<{ next: NextBatch; photoFailure: CallFailure | null }> => {
      // Batches sized to the link: on a slow one, records reach central every half minute behind their photos.
      const limit = Math.min(batchCap, rate.batchRecords(limits.maxRecords))
      const next = await queue.next({ postId: options.postId, nowIso: now(), limit, maxBytes: limits.maxBytes })
      const photoFailure = next.kind === 'batch' && next.photos.count > 0 ? await queue.sendPhotos(next.batch.batchId, now()) : null
      return { next, photoFailure }
    }
    const upcoming: Array<ReturnType<typeof ahead>> = []
    const refill = () => {
      while (upcoming.length < lookahead) upcoming.push(handledLater(ahead()))
    }
    const release = async () => {
      const prefetched = upcoming.splice(0)
      for (const pending of prefetched) {
        // A worker that failed here is the next run's to recover from (recoverInterrupted, then the claim).
        const next = (await pending.catch(() => null))?.next
        if (next?.kind === 'batch') await queue.reschedule(next.batch.recordIds, null, 'not_sent')
        if (next?.kind === 'unreadable') await queue.reschedule(next.claimed, null, 'not_sent')
      }
    }
    try {
      for (;;) {
        // A worker that dies or times out throws here: the run backs off, and what it had claimed goes back to
        // the queue at the start of the next run.
        if (upcoming.length === 0) upcoming.push(handledLater(ahead()))
        const { next: prepared, photoFailure } = await upcoming.shift()!
        if (prepared.kind === 'empty') break
        if (prepared.kind === 'unreadable') {
          await setAside(prepared.recordId, prepared.claimed)
          continue
        }
        const ids = prepared.batch.recordIds
        if (photoFailure) {
          await release()
          await fail(photoFailure, ids, false)
          return
        }
        refill()
        let outcome = await client.postEncodedBatch(prepared.batch)
        for (let again = 0; !outcome.ok && cutMidRequest(outcome.failure) && again < CUT_RETRIES; again++) {
          logger.info('upload: batch cut off on the way, sending it again at once', { batchId: prepared.batch.batchId })
          outcome = await client.postEncodedBatch(prepared.batch)
        }
        if (!outcome.ok) {
          if (outcome.failure.kind === 'too_large' && ids.length > 1) {
            // Split: fresh, smaller batches from here on (central never stored the refused one).
            await release()
            batchCap = Math.max(1, Math.floor(ids.length / 2))
            await queue.forgetBatch(ids)
            await queue.reschedule(ids, null, 'too_large')
            continue
          }
          if (outcome.failure.kind === 'conflict' && conflicts++ < 3) {
            // The key was used with another body (an edited record left the batch). Central dedups by record id,
            // so a fresh key for the remaining rows is safe.
            await queue.forgetBatch(ids)
            await queue.reschedule(ids, null, 'conflict')
            continue
          }
          await release()
          await fail(outcome.failure, ids, true)
          return
        }
        const at = now()
        rate.answered(ids.length, clock.now())
        await queue.applyResults(outcome.value.results, at)
        failures = 0
        lastError = null
        lastSyncAt = at
        batchCap = Math.min(limits.maxRecords, batchCap * 2)
        sent += ids.length
        progress = { sent, total: Math.max(total, sent) }
        options.onSynced(at)
        options.onRecordsChanged()
        publish()
      }
    } finally {
      await release()
    }
    status = 'idle'
    progress = null
    publish()
  }

  async function runOnce(): Promise<void> {
    if (current) {
      again = true
      return current
    }
    current = (async () => {
      try {
        do {
          again = false
          await drain()
        } while (again && status === 'idle')
      } catch (error) {
        // A bug or a broken record must not kill the uploader: log, back off, and keep the rows.
        logger.error('upload run failed', { error: String(error) })
        // A full disk is the one such failure staff can do something about (call IT): say it on the home screen.
        if (isDiskFull(error)) lastError = 'disk_full'
        failures++
        wait(backoffDelay(failures, policy, random), 'waiting')
      } finally {
        current = null
      }
    })()
    return current
  }

  return {
    start() {
      if (started) return
      started = true
      schedule(0)
    },
    stop() {
      started = false
      stopped = true
      if (timer !== null) clock.clearTimeout(timer)
      timer = null
    },
    notify() {
      if (status === 'auth_error' || status === 'waiting' || status === 'offline') return publish()
      if (current) {
        again = true
        return
      }
      schedule(debounceMs)
    },
    uploadNow() {
      failures = 0
      if (status !== 'not_configured') status = 'idle'
      nextAttemptAt = null
      schedule(0)
      return snapshot()
    },
    runOnce,
    state: snapshot,
  }
}
