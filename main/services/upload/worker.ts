import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import type { CallFailure, CentralClient, EncodedBatch } from '../central/client'
import type { Logger } from '../platform/logger'
import type { Vault } from '../security/vault'
import type { Db } from '../store/db'
import type { UploadResult } from '../store/outbox'
import { createOutboxRepository } from '../store/outbox'
import type { PhotoToSend } from '../store/photos'
import { createPhotosRepository } from '../store/photos'
import { createBatchReader } from '../store/batch-reader'
import { createPhotoSender } from './photo-sender'
import type { PackSizing } from './pack-sizer'
import { createPackSizer, DEFAULT_PACK_SIZING } from './pack-sizer'
import type { PackLimits } from './prepare'
import { DEFAULT_PACK_LIMITS, photoPacks, PrepareError, prepareBatch } from './prepare'

const gzip = promisify(gzipCallback)

export interface NextBatchRequest {
  postId: string
  nowIso: string
  /** Records per batch (the uploader's cap, halved after a 413). */
  limit: number
  /** Sealed record bytes per batch. */
  maxBytes: number
}

/**
 * What `next` found: a batch ready to send (its photos stay with the queue, which sends them: `sendPhotos`), a
 * claimed record that cannot be opened, or nothing due.
 */
export type NextBatch =
  | { kind: 'batch'; batch: EncodedBatch; photos: { count: number } }
  | { kind: 'unreadable'; recordId: string; claimed: string[]; message: string }
  | { kind: 'empty' }

/**
 * The uploader's side of the local store: every read and write an upload makes. In the kiosk it runs in the
 * upload worker on its own connection (queue/worker-queue.ts), so none of this SQLite and crypto work runs on
 * main's event loop; tests and tools may use it inline. Main keeps the rest of the store.
 */
export interface UploadWorker {
  /**
   * Rows left `uploading` by a crash or a dead worker go back to `queued`, their batch ids kept, so the next claim
   * re-sends each such batch whole. Called at the start of every run, when no batch of this kiosk is on the wire.
   */
  recoverInterrupted(): Promise<number>
  /** Claims the next batch (outbox.claimBatch: batch id persisted, records `uploading`) and encodes it. */
  next(request: NextBatchRequest): Promise<NextBatch>
  /**
   * Sends the photos of a batch `next` prepared, ahead of its records, and marks what central confirmed
   * (photo-sender.ts). Null when central has them all; else why not. The megabytes never leave the queue's thread.
   */
  sendPhotos(batchId: string, nowIso: string): Promise<CallFailure | null>
  /** Central's parsed answer: final states, outbox rows removed. */
  applyResults(results: readonly UploadResult[], nowIso: string): Promise<void>
  /** After a failure: back to queued, not before `nextAttemptAt`; the batch id is kept for an identical re-send. */
  reschedule(recordIds: readonly string[], nextAttemptAt: string | null, error: string, inDoubt?: boolean): Promise<void>
  /** The rows get a fresh batch next time (a 409, a 413 split, a record set aside). */
  forgetBatch(recordIds: readonly string[]): Promise<void>
  close(): Promise<void>
}

export interface LocalQueueOptions {
  /** Central, for the photos; null on a kiosk without a token (it never uploads). */
  client: CentralClient | null
  photoConcurrency?: number
  logger: Logger
  limits?: PackLimits
  /** How packs follow the link (pack-sizer.ts); the defaults aim at packs of ~8 s. */
  sizing?: Partial<Omit<PackSizing, 'maxBytes'>>
  /** The worker's gzipSync (blocking its own thread only); zlib's thread pool by default. */
  gzip?: (bytes: Buffer) => Buffer | Promise<Buffer>
  newBatchId: () => string
}

/** The most batches the uploader may claim ahead of the one on the wire. */
export const MAX_LOOKAHEAD = 8

/**
 * Photo lists kept for batches claimed and not yet sent: more than the uploader can claim ahead. Older ones are
 * dropped, so the lists of batches a run claimed and never sent (it was cut short) do not pile up.
 */
const KEPT_BATCHES = MAX_LOOKAHEAD + 2

/** The queue on a connection of the caller's: the worker runs this on its own; inline, it shares main's. */
export function createInlineUploadWorker(db: Db, vault: Vault, options: LocalQueueOptions): UploadWorker {
  const outbox = createOutboxRepository(db)
  const photos = createPhotosRepository(db)
  const reader = createBatchReader(db)
  const limits = options.limits ?? DEFAULT_PACK_LIMITS
  const photoLists = new Map<string, PhotoToSend[]>()
  // One sizer for the worker's life: what it learned of the link carries from batch to batch.
  const sizer = createPackSizer({ ...DEFAULT_PACK_SIZING, ...options.sizing, maxBytes: limits.maxPackBytes })
  const sender = options.client ? createPhotoSender({ client: options.client, concurrency: options.photoConcurrency ?? 2, logger: options.logger, sizer }) : null
  return {
    async next({ postId, nowIso, limit, maxBytes }) {
      const claim = outbox.claimBatch(nowIso, limit, maxBytes, options.newBatchId)
      if (!claim) return { kind: 'empty' }
      try {
        const prepared = await prepareBatch(reader, vault, { postId, ...claim }, options.gzip ?? gzip)
        photoLists.set(claim.batchId, prepared.photos)
        for (const old of [...photoLists.keys()].slice(0, -KEPT_BATCHES)) photoLists.delete(old)
        return { kind: 'batch', batch: prepared.batch, photos: { count: prepared.photos.length } }
      } catch (error) {
        if (error instanceof PrepareError && error.recordId !== undefined) {
          return { kind: 'unreadable', recordId: error.recordId, claimed: claim.recordIds, message: error.message }
        }
        throw error
      }
    },
    async sendPhotos(batchId, nowIso) {
      const list = photoLists.get(batchId)
      if (!sender || !list) throw new Error(`no photos prepared for batch ${batchId}`)
      photoLists.delete(batchId)
      return sender.send(photoPacks(reader, vault, list, limits, sender.packBytes), (sha256s) => photos.markUploaded(sha256s, nowIso))
    },
    recoverInterrupted: async () => outbox.recoverInterrupted(),
    applyResults: async (results, nowIso) => outbox.applyResults(results, nowIso),
    reschedule: async (ids, nextAttemptAt, error, inDoubt) => outbox.reschedule(ids, nextAttemptAt, error, inDoubt),
    forgetBatch: async (ids) => outbox.forgetBatch(ids),
    close: async () => undefined,
  }
}
