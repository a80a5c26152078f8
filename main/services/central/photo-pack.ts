import { createHash } from 'node:crypto'

/**
 * A photo pack: many photos in one request (POST /v1/photos:batch), so a batch's photos cost one round trip
 * instead of one PUT each. On the wire it is the offline bundle's photo frames back to back (bundle/format.ts):
 *
 *   frame  type 0x50 'P' (1 byte) | length n (u32, big-endian) | SHA-256 of the JPEG (32 raw bytes) | JPEG (n − 32)
 *
 * Content-addressed, so a pack re-sent after a lost answer stores nothing twice. Central checks every frame and
 * every hash before it stores any photo of the pack (one transaction): a pack is taken whole or not at all.
 */
export const PHOTO_PACK_PATH = '/v1/photos:batch'
export const PHOTO_PACK_MEDIA_TYPE = 'application/vnd.posko.photo-pack'
export const FRAME_PHOTO = 0x50
export const FRAME_HEAD_BYTES = 5
const HASH_BYTES = 32
/** A photo frame's bytes besides its JPEG: type, length, SHA-256. */
export const PHOTO_FRAME_OVERHEAD = FRAME_HEAD_BYTES + HASH_BYTES

export type PhotoPackFault = 'bad_frame' | 'empty_photo' | 'photo_too_large' | 'too_many_photos' | 'hash_mismatch'

export class PhotoPackError extends Error {
  constructor(
    readonly reason: PhotoPackFault,
    message: string,
    /** The photo the fault is about, where there is one. */
    readonly sha256?: string,
  ) {
    super(message)
    this.name = 'PhotoPackError'
  }
}

/** The head of one photo frame; the caller writes it, then the JPEG, without copying the JPEG into a frame first. */
export function photoFrameHead(sha256: string, jpegBytes: number): Buffer {
  const head = Buffer.alloc(FRAME_HEAD_BYTES + HASH_BYTES)
  head.writeUInt8(FRAME_PHOTO, 0)
  head.writeUInt32BE(HASH_BYTES + jpegBytes, 1)
  head.write(sha256, FRAME_HEAD_BYTES, HASH_BYTES, 'hex')
  return head
}

export function encodePhotoFrame(sha256: string, jpeg: Buffer): Buffer {
  return Buffer.concat([photoFrameHead(sha256, jpeg.length), jpeg])
}

export function encodePhotoPack(photos: ReadonlyArray<{ sha256: string; jpeg: Buffer }>): Buffer {
  return Buffer.concat(photos.flatMap((p) => [photoFrameHead(p.sha256, p.jpeg.length), p.jpeg]))
}

export interface PackLimits {
  maxPhotoBytes: number
  maxPhotos: number
}

/** A photo frame's payload (hash, then JPEG), checked: the JPEG must be there, within the limit, and match its hash. */
export function readPhotoFrame(payload: Buffer, index: number, maxPhotoBytes: number): { sha256: string; bytes: Buffer } {
  if (payload.length <= HASH_BYTES) throw new PhotoPackError('empty_photo', `photo frame ${index} has no JPEG`)
  const sha256 = payload.subarray(0, HASH_BYTES).toString('hex')
  const jpeg = payload.subarray(HASH_BYTES)
  if (jpeg.length > maxPhotoBytes) throw new PhotoPackError('photo_too_large', `photo ${sha256} is over ${maxPhotoBytes} bytes`, sha256)
  const actual = createHash('sha256').update(jpeg).digest('hex')
  if (actual !== sha256) throw new PhotoPackError('hash_mismatch', `photo ${index} hashes to ${actual}, not ${sha256}`, sha256)
  return { sha256, bytes: jpeg }
}

/**
 * Splits frames and checks each photo against its hash. Anything wrong is a PhotoPackError: nothing is returned, so
 * a caller cannot store part of a damaged pack. The JPEGs are views into `bytes`, not copies.
 */
export function decodePhotoPack(bytes: Buffer, limits: PackLimits = { maxPhotoBytes: Number.POSITIVE_INFINITY, maxPhotos: Number.POSITIVE_INFINITY }) {
  const photos: Array<{ sha256: string; bytes: Buffer }> = []
  let offset = 0
  while (offset < bytes.length) {
    if (offset + FRAME_HEAD_BYTES > bytes.length) throw new PhotoPackError('bad_frame', `frame header cut short at byte ${offset}`)
    const type = bytes.readUInt8(offset)
    if (type !== FRAME_PHOTO) throw new PhotoPackError('bad_frame', `frame type ${type} at byte ${offset}; a photo pack holds only photo frames (0x50)`)
    const length = bytes.readUInt32BE(offset + 1)
    const payload = bytes.subarray(offset + FRAME_HEAD_BYTES, offset + FRAME_HEAD_BYTES + length)
    if (payload.length !== length) throw new PhotoPackError('bad_frame', `frame at byte ${offset} is cut short`)
    offset += FRAME_HEAD_BYTES + length
    if (photos.length >= limits.maxPhotos) throw new PhotoPackError('too_many_photos', `more than ${limits.maxPhotos} photos in one pack`)
    photos.push(readPhotoFrame(payload, photos.length, limits.maxPhotoBytes))
  }
  return photos
}
