import type { Db } from './db'
import type { PhotoToSend } from './photos'
import { createPhotosRepository } from './photos'

/**
 * What the uploader reads to build a batch's request bodies: the sealed records of a claimed batch and the sealed
 * photos they name. Reads only, so it can run on its own connection in the upload worker while main writes.
 */
export interface BatchReader {
  /** The sealed records of a batch the uploader claimed (state `uploading`), in record id order. */
  batchRecords(batchId: string): Array<{ recordId: string; sealed: Buffer }>
  /** Of these hashes, the stored photos central has not confirmed yet and their JPEG sizes, in the order asked (no photo is read). */
  unconfirmedPhotos(sha256s: readonly string[]): PhotoToSend[]
  /** Of these hashes, the sealed photos central has not confirmed yet, in the order asked (one read transaction). */
  sealedPhotos(sha256s: readonly string[]): Array<{ sha256: string; sealed: Buffer }>
}

export function createBatchReader(db: Db): BatchReader {
  const records = db.prepare<[string], { recordId: string; sealed: Buffer }>(
    `SELECT o.record_id AS recordId, r.sealed
       FROM outbox o JOIN registrations r ON r.id = o.record_id
      WHERE o.batch_id = ? AND r.state = 'uploading' AND r.sealed IS NOT NULL
      ORDER BY o.record_id`,
  )
  const photos = createPhotosRepository(db)
  return {
    batchRecords: (batchId) => records.all(batchId),
    unconfirmedPhotos: (sha256s) => photos.notUploadedSizes(sha256s),
    sealedPhotos: (sha256s) => photos.notUploaded(sha256s).map((row) => ({ sha256: row.sha256, sealed: row.sealed as Buffer })),
  }
}
