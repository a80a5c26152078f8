import { v7 as uuidv7 } from 'uuid'
import type { UploadErrorCode, UploadState, UploadStatus } from '../../../common/contract'
import type { RegistrationRecord } from '../../../common/registration'
import type { CallFailure, CentralClient, EncodedPhotoPack } from '../central/client'
import { decodePhotoPack } from '../central/photo-pack'
import type { Logger } from '../logger'
import type { OutboxRepository } from '../store/outbox'
import type { BackoffPolicy } from './backoff'
import { backoffDelay, breakerOpen, DEFAULT_BACKOFF } from './backoff'
import type { Clock } from './clock'
import { PrepareError } from './prepare'
import type { BatchPreparer } from './preparer'

/** Photos a set of records reference that central may not have yet (the offline bundle's export reads them so). */
export interface PhotoSource {
  pendingFor(records: readonly RegistrationRecord[]): Array<{ sha256: string; load(): Buffer }>
  /** One call (one transaction, one fsync) for all the photos a request sent. */
  markUploaded(sha256s: readonly string[]): void
}

export interface BatchLimits {
  maxRecords: number
  /** Sealed record bytes per batch (about the JSON's size); central refuses 8 MB, so stay well under. */
  maxBytes: number
}

export const DEFAULT_LIMITS: BatchLimits = { maxRecords: 200, maxBytes: 2 * 1024 * 1024 }

/** How long a record that cannot be opened waits before it is tried again; it must not hold up the others. */
const UNREADABLE_RETRY_MS = 24 * 60 * 60 * 1000

export interface UploaderOptions {
  postId: string
  outbox: OutboxRepository
  /** Reads, decrypts and encodes a claimed batch: the upload worker in the kiosk (queue/preparer.ts). */
  preparer: BatchPreparer
  /** Central confirmed these photos (one transaction). */
  markPhotosUploaded(sha256s: readonly string[]): void
  client: CentralClient | null
  clock: Clock
  random?: () => number
  logger: Logger
  limits?: Partial<BatchLimits>
  backoff?: Partial<BackoffPolicy>
  /** While idle, look for due work this often (records whose Retry-After passed, missed notifications). */
  pollMs?: number
  /** A quiet moment after a new record before uploading, so a burst of submits goes out as one batch. */
  debounceMs?: number
  /** Photo requests in flight at once (packs, or single PUTs to a central without packs). */
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
  const { outbox, clock, logger } = options
  const random = options.random ?? Math.random
  const limits: BatchLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff }
  const pollMs = options.pollMs ?? 60_000
  const debounceMs = options.debounceMs ?? 1_000
  const photoConcurrency = options.photoConcurrency ?? 2

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
  /** Central answered 404/405 for photo packs: an older central; photos go one PUT each from then on. */
  let packsUnsupported = false

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
   * Photos go up before the records that name them, a pack per request (a batch's photos in one or two round
   * trips), two in flight. Each pack's photos are marked as soon as central confirms them, so after a failure only
   * what is missing goes again. A failure stops the batch; central stores by hash, so re-sending is harmless.
   */
  async function sendPhotos(packs: readonly EncodedPhotoPack[]): Promise<CallFailure | null> {
    const queue = [...packs]
    let failure: CallFailure | null = null
    const worker = async () => {
      for (let pack = queue.shift(); pack && !failure; pack = queue.shift()) failure ??= await sendPack(pack)
    }
    await Promise.all(Array.from({ length: Math.max(1, photoConcurrency) }, worker))
    return failure
  }

  async function sendPack(pack: EncodedPhotoPack): Promise<CallFailure | null> {
    const client = options.client as CentralClient
    if (!packsUnsupported) {
      const outcome = await client.putPhotoPack(pack)
      if (outcome.ok) {
        options.markPhotosUploaded(pack.sha256s)
        return null
      }
      if (outcome.failure.kind === 'unsupported') {
        packsUnsupported = true
        logger.warn('central has no photo packs: sending photos one by one', { status: outcome.failure.status })
      } else if (outcome.failure.kind !== 'too_large' || pack.sha256s.length === 1) return outcome.failure
    }
    // One PUT per photo: an older central, or a pack over this central's limit.
    const body = Buffer.from(pack.body.buffer, pack.body.byteOffset, pack.body.byteLength)
    const sent: string[] = []
    let failure: CallFailure | null = null
    for (const photo of decodePhotoPack(body)) {
      const outcome = await client.putPhoto(photo.sha256, photo.bytes)
      if (!outcome.ok) {
        failure = outcome.failure
        break
      }
      sent.push(photo.sha256)
    }
    if (sent.length > 0) options.markPhotosUploaded(sent)
    return failure
  }

  /** A record that cannot be opened leaves the batch and waits a day, logged; the rest go in a fresh batch. */
  function setAside(recordId: string, ids: readonly string[]): void {
    outbox.forgetBatch(ids)
    outbox.reschedule(ids, null, 'unreadable_neighbour')
    outbox.reschedule([recordId], new Date(clock.now() + UNREADABLE_RETRY_MS).toISOString(), 'unreadable')
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
    const total = outbox.pending()
    let sent = 0
    progress = { sent, total }
    publish()
    let conflicts = 0
    for (;;) {
      const claim = outbox.claimBatch(new Date(clock.now()).toISOString(), batchCap, limits.maxBytes, uuidv7)
      if (!claim) break
      const ids = claim.recordIds
      let prepared
      try {
        prepared = await options.preparer.prepare({ postId: options.postId, batchId: claim.batchId, recordIds: ids })
      } catch (error) {
        if (error instanceof PrepareError && error.recordId !== undefined) {
          setAside(error.recordId, ids)
          continue
        }
        // The worker died or timed out, or the batch changed under it: the claimed rows go back to the queue (same
        // batch id) and the run fails, to be retried after a backoff.
        outbox.reschedule(ids, null, 'prepare')
        throw error
      }
      const photoFailure = await sendPhotos(prepared.packs)
      if (photoFailure) return fail(photoFailure, ids)
      const outcome = await client.postEncodedBatch(prepared.batch)
      if (!outcome.ok) {
        if (outcome.failure.kind === 'too_large' && ids.length > 1) {
          // Split: a fresh, smaller batch next round (central never stored the refused one).
          batchCap = Math.max(1, Math.floor(ids.length / 2))
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
