import { v7 as uuidv7 } from 'uuid'
import type { UploadErrorCode, UploadState, UploadStatus } from '../../../common/contract'
import type { RegistrationRecord } from '../../../common/registration'
import type { CallFailure, CentralClient } from '../central/client'
import type { Logger } from '../logger'
import type { OutboxItem, OutboxRepository } from '../store/outbox'
import type { BackoffPolicy } from './backoff'
import { backoffDelay, breakerOpen, DEFAULT_BACKOFF } from './backoff'
import type { Clock } from './clock'

/** Photos a batch's records reference that central may not have yet. Photos go first (DESIGN.md §6). */
export interface PhotoSource {
  pendingFor(records: readonly RegistrationRecord[]): Array<{ sha256: string; load(): Buffer }>
  /** One call (one transaction, one fsync) for all the photos a batch sent. */
  markUploaded(sha256s: readonly string[]): void
}

export const noPhotos: PhotoSource = { pendingFor: () => [], markUploaded: () => undefined }

export interface BatchLimits {
  maxRecords: number
  /** Uncompressed JSON bytes per batch; central refuses 8 MB, so stay well under. */
  maxBytes: number
}

export const DEFAULT_LIMITS: BatchLimits = { maxRecords: 200, maxBytes: 2 * 1024 * 1024 }

export interface UploaderOptions {
  postId: string
  outbox: OutboxRepository
  /** Decrypts and parses an outbox item's record; throws if it can't (then the item is left for staff). */
  openRecord(item: OutboxItem): RegistrationRecord
  client: CentralClient | null
  photos?: PhotoSource
  clock: Clock
  random?: () => number
  logger: Logger
  limits?: Partial<BatchLimits>
  backoff?: Partial<BackoffPolicy>
  /** While idle, look for due work this often (records whose Retry-After passed, missed notifications). */
  pollMs?: number
  /** A quiet moment after a new record before uploading, so a burst of submits goes out as one batch. */
  debounceMs?: number
  /** Photo PUTs in flight at once. */
  photoConcurrency?: number
  lastSyncAt: string | null
  onState(state: UploadState): void
  onSynced(atIso: string): void
  onRecordsChanged(): void
}

export interface Uploader {
  start(): void
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
      return failure.reason === 'timeout' ? 'timeout' : failure.reason === 'network' ? 'network' : 'server_error'
    case 'malformed':
      return 'bad_answer'
    case 'bad_request':
    case 'too_large':
    case 'conflict':
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
  const { outbox, clock, logger } = options
  const random = options.random ?? Math.random
  const limits: BatchLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff }
  const photos = options.photos ?? noPhotos
  const pollMs = options.pollMs ?? 60_000
  const debounceMs = options.debounceMs ?? 1_000
  const photoConcurrency = options.photoConcurrency ?? 4

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

  const snapshot = (): UploadState => ({
    status,
    pending: outbox.pending(),
    lastSyncAt,
    lastError,
    nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
    progress,
  })
  const publish = () => options.onState(snapshot())

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

  /** The next batch: an interrupted batch is re-sent whole under its own key; otherwise fresh rows up to the caps. */
  function nextBatch(): { batchId: string; items: OutboxItem[]; records: RegistrationRecord[] } | null {
    const due = outbox.due(new Date(clock.now()).toISOString(), batchCap)
    if (due.length === 0) return null
    const first = due[0]!
    if (first.batchId !== null) {
      const items = outbox.inBatch(first.batchId)
      if (items.length <= batchCap) return { batchId: first.batchId, items, records: items.map(options.openRecord) }
      outbox.forgetBatch(items.map((i) => i.recordId))
      return nextBatch()
    }
    const items: OutboxItem[] = []
    const records: RegistrationRecord[] = []
    let bytes = 0
    for (const item of due) {
      if (item.batchId !== null) continue
      const record = options.openRecord(item)
      const size = Buffer.byteLength(JSON.stringify(record))
      if (items.length > 0 && bytes + size > limits.maxBytes) break
      items.push(item)
      records.push(record)
      bytes += size
    }
    return items.length === 0 ? null : { batchId: uuidv7(), items, records }
  }

  function fail(failure: CallFailure, ids: readonly string[]): void {
    lastError = errorCode(failure)
    const nowMs = clock.now()
    if (failure.kind === 'auth') {
      // The post token is wrong or revoked: retrying cannot help and may lock the post out. Stop and alert.
      outbox.reschedule(ids, null, 'auth')
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
      outbox.reschedule(ids, new Date(until).toISOString(), `retry_after_${failure.status}`)
      logger.warn('central asked to wait', { seconds: failure.seconds, status: failure.status })
      return wait(failure.seconds * 1000, 'waiting')
    }
    failures++
    outbox.reschedule(ids, null, failure.kind === 'malformed' || failure.kind === 'transient' || failure.kind === 'bad_request' ? `${failure.kind}:${failure.reason}` : failure.kind)
    logger.warn('upload failed', { kind: failure.kind, failures })
    wait(backoffDelay(failures, policy, random), breakerOpen(failures, policy) ? 'offline' : 'waiting')
  }

  /**
   * Photos go up a few at a time: each is its own PUT (central stores them by hash), so on a slow link the
   * round trips, not the bytes, would otherwise set the pace. A failure stops the batch; PUTs are idempotent.
   */
  async function sendPhotos(records: readonly RegistrationRecord[]): Promise<CallFailure | null> {
    const client = options.client as CentralClient
    const queue = photos.pendingFor(records)
    let failure: CallFailure | null = null
    const sent: string[] = []
    const worker = async () => {
      for (let photo = queue.shift(); photo && !failure; photo = queue.shift()) {
        const outcome = await client.putPhoto(photo.sha256, photo.load())
        if (outcome.ok) sent.push(photo.sha256)
        else failure ??= outcome.failure
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, photoConcurrency) }, worker))
    // Marked even when a later photo failed: those that went up need not go again.
    if (sent.length > 0) photos.markUploaded(sent)
    return failure
  }

  async function drain(): Promise<void> {
    const client = options.client
    if (!client) {
      status = 'not_configured'
      return publish()
    }
    status = 'running'
    nextAttemptAt = null
    const total = outbox.pending()
    let sent = 0
    progress = { sent, total }
    publish()
    let conflicts = 0
    for (;;) {
      const batch = nextBatch()
      if (!batch) break
      const ids = batch.items.map((i) => i.recordId)
      const photoFailure = await sendPhotos(batch.records)
      if (photoFailure) return fail(photoFailure, ids)
      outbox.markSending(ids, batch.batchId)
      const outcome = await client.postBatch({ postId: options.postId, batchId: batch.batchId, records: batch.records })
      if (!outcome.ok) {
        if (outcome.failure.kind === 'too_large' && batch.items.length > 1) {
          // Split: a fresh, smaller batch next round (central never stored the refused one).
          batchCap = Math.max(1, Math.floor(batch.items.length / 2))
          outbox.forgetBatch(ids)
          outbox.reschedule(ids, null, 'too_large')
          continue
        }
        if (outcome.failure.kind === 'conflict' && conflicts++ < 3) {
          // The key was used with another body (an edited record left the batch). Central dedups by record id,
          // so a fresh key for the remaining rows is safe.
          outbox.forgetBatch(ids)
          outbox.reschedule(ids, null, 'conflict')
          continue
        }
        return fail(outcome.failure, ids)
      }
      const at = new Date(clock.now()).toISOString()
      outbox.applyResults(outcome.value.results, at)
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
      outbox.recoverInterrupted()
      schedule(0)
    },
    stop() {
      started = false
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
