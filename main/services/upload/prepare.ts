import type { EncodedBatch, EncodedPhotoPack } from '../central/client'
import { PHOTO_FRAME_OVERHEAD, photoFrameHead } from '../central/photo-pack'
import type { Vault } from '../security/vault'
import type { PhotoToSend } from '../store/photos'
import { photoAad } from '../store/photos'
import type { BatchReader } from '../store/batch-reader'

/** What the uploader asks for once it has claimed a batch (outbox.claimBatch). */
export interface PrepareRequest {
  postId: string
  batchId: string
  recordIds: readonly string[]
}

/**
 * A claimed batch ready to go: the gzipped batch itself, and the photos it names that central has not confirmed,
 * by hash. The photos are read and packed only as they are sent (photoPacks), so the worker decrypts the next
 * pack while central stores the last, and a batch claimed ahead holds no photo megabytes.
 */
export interface PreparedBatch {
  batch: EncodedBatch
  photos: PhotoToSend[]
}

export interface PackLimits {
  /** Bytes of photo frames per pack; central refuses bodies over 8 MiB. */
  maxPackBytes: number
  maxPackPhotos: number
}

export const DEFAULT_PACK_LIMITS: PackLimits = { maxPackBytes: 4 * 1024 * 1024, maxPackPhotos: 500 }

/** Why a claimed batch could not be prepared; the uploader sets `recordId` aside and goes on with the rest. */
export class PrepareError extends Error {
  constructor(
    readonly reason: 'batch_changed' | 'unreadable',
    message: string,
    readonly recordId?: string,
  ) {
    super(message)
    this.name = 'PrepareError'
  }
}

const photoRefs = (json: string): string[] => {
  const photos = (JSON.parse(json) as { photos?: Record<string, { sha256?: unknown } | null> }).photos ?? {}
  return Object.values(photos).flatMap((p) => (typeof p?.sha256 === 'string' ? [p.sha256] : []))
}

/**
 * Reads and decrypts a claimed batch and encodes it for the wire. The records' sealed JSON is spliced into the
 * body as it was committed (no parse and re-stringify: the body central hashes for idempotency is the same bytes
 * on every re-send). Runs in the upload worker, or inline where there is none; either way the same code.
 */
export async function prepareBatch(
  reader: BatchReader,
  vault: Vault,
  request: PrepareRequest,
  gzip: (bytes: Buffer) => Buffer | Promise<Buffer>,
): Promise<PreparedBatch> {
  const rows = reader.batchRecords(request.batchId)
  const claimed = [...request.recordIds].sort()
  if (rows.length !== claimed.length || rows.some((r, i) => r.recordId !== claimed[i])) {
    throw new PrepareError('batch_changed', `batch ${request.batchId} holds ${rows.length} records in upload, ${claimed.length} were claimed`)
  }
  const jsons: string[] = []
  const hashes = new Set<string>()
  for (const row of rows) {
    let json: string
    try {
      json = vault.open(row.sealed, row.recordId).toString('utf8')
      for (const sha of photoRefs(json)) hashes.add(sha)
    } catch (error) {
      throw new PrepareError('unreadable', `record ${row.recordId} cannot be opened: ${(error as Error).message}`, row.recordId)
    }
    jsons.push(json)
  }
  const body = `{"postId":${JSON.stringify(request.postId)},"batchId":${JSON.stringify(request.batchId)},"records":[${jsons.join(',')}]}`
  return {
    batch: { batchId: request.batchId, recordIds: rows.map((r) => r.recordId), gzipped: await gzip(Buffer.from(body, 'utf8')) },
    photos: reader.unconfirmedPhotos([...hashes]),
  }
}

/**
 * Packs of at most `packBytes()` of frames (the link's size at the moment the pack is started: pack-sizer.ts; at
 * most `maxPackBytes`; a photo bigger than that goes in a pack alone), planned from the stored sizes and read and
 * decrypted one pack per step, in one read transaction each: nothing is read before the sender asks for the next
 * pack. A photo gone or confirmed since the batch was prepared is left out.
 */
export function* photoPacks(
  reader: BatchReader,
  vault: Vault,
  photos: readonly PhotoToSend[],
  limits: PackLimits,
  packBytes: () => number = () => limits.maxPackBytes,
): Generator<EncodedPhotoPack> {
  let next = 0
  while (next < photos.length) {
    const budget = Math.min(limits.maxPackBytes, packBytes())
    const group: string[] = []
    let bytes = 0
    for (; next < photos.length && group.length < limits.maxPackPhotos; next++) {
      const frame = PHOTO_FRAME_OVERHEAD + photos[next]!.bytes
      if (group.length > 0 && bytes + frame > budget) break
      group.push(photos[next]!.sha256)
      bytes += frame
    }
    const parts: Buffer[] = []
    const sha256s: string[] = []
    for (const photo of reader.sealedPhotos(group)) {
      const jpeg = vault.open(photo.sealed, photoAad(photo.sha256))
      parts.push(photoFrameHead(photo.sha256, jpeg.length), jpeg)
      sha256s.push(photo.sha256)
    }
    if (sha256s.length > 0) yield { sha256s, body: Buffer.concat(parts) }
  }
}
