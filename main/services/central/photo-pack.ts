import { createHash } from 'node:crypto'

/**
 * A photo pack: many photos in one request (POST /v1/photos:batch), so a batch's photos cost one round trip
 * instead of one PUT each. On the wire it is the offline bundle's photo frames back to back (bundle/format.ts):
 *
 *   frame  type 0x50 'P' (1 byte) | length n (u32, big-endian) | SHA-256 of the JPEG (32 raw bytes) | JPEG (n − 32)
 *
 * Content-addressed, so a pack re-sent after a lost answer stores nothing twice. Central checks every frame and
 * every hash before it stores any photo of the pack (one transaction): a damaged pack is taken whole or not at all.
 * A pack whose request was cut off mid-body (the link dropped) keeps the complete frames that arrived, each checked
 * against its hash; the kiosk asks which photos central holds (POST /v1/photos:held) and sends only the rest, so a
 * cut costs the frame it fell in, not the pack.
 */
export const PHOTO_PACK_PATH = '/v1/photos:batch'
/** Which of these photos central holds: `{ sha256s: [...] }` → `{ held: [...] }` (a subset, same order). */
export const PHOTOS_HELD_PATH = '/v1/photos:held'
/** Hashes per photos:held question: a pack's photos (≤ 1000) in one question. */
export const MAX_HELD_QUERY = 1000
export const PHOTO_PACK_MEDIA_TYPE = 'application/vnd.posko.photo-pack'
/**
 * A pack's streamed receipt, which a kiosk asks for with Accept: one JSON object a line, sent as central commits the
 * frames (`{ stored: [...] }`), then `{ done: { photos } }` or `{ error, status }`. After a cut the kiosk knows
 * which frames central holds without asking (issue 23). A central that does not stream answers application/json.
 */
export const RECEIPT_MEDIA_TYPE = 'application/x-ndjson'
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

/** A pack this kiosk built, split back into its frames (views, unchecked): to send again only some of them. */
export function splitPhotoPack(bytes: Buffer): Array<{ sha256: string; frame: Buffer }> {
  const frames: Array<{ sha256: string; frame: Buffer }> = []
  for (let offset = 0; offset + FRAME_HEAD_BYTES + HASH_BYTES <= bytes.length; ) {
    const end = offset + FRAME_HEAD_BYTES + bytes.readUInt32BE(offset + 1)
    frames.push({ sha256: bytes.subarray(offset + FRAME_HEAD_BYTES, offset + FRAME_HEAD_BYTES + HASH_BYTES).toString('hex'), frame: bytes.subarray(offset, end) })
    offset = end
  }
  return frames
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
 * Reads a pack as it arrives: `push` takes the next bytes and returns the frames they completed, each checked
 * (frame type, length, count, hash) as decodePhotoPack does; `end` says the body is over, and throws if it ended
 * inside a frame. A PhotoPackError from either means the pack is damaged; the frames checked before the damage are
 * returned first, and the error comes with the next call (so a streamed receipt can name them, issue 23). Central
 * uses it to keep the complete
 * frames of a request cut off mid-body (so a re-send carries only what is missing); decodePhotoPack is it on one
 * buffer. A frame's bytes are joined only once it is complete, so a large photo arriving in small chunks is
 * copied once, not once per chunk.
 */
export function createPhotoPackReader(limits: PackLimits = { maxPhotoBytes: Number.POSITIVE_INFINITY, maxPhotos: Number.POSITIVE_INFINITY }) {
  let pending: Buffer[] = []
  let pendingBytes = 0
  /** Bytes of the frames already returned, for the positions in error messages. */
  let consumed = 0
  let count = 0
  /** Bytes needed before the next frame can be read: its header, then the whole frame. */
  let need = FRAME_HEAD_BYTES
  /** Found after frames that were good: thrown by the call after the one that returned them. */
  let damage: PhotoPackError | null = null
  return {
    push(chunk: Buffer): Array<{ sha256: string; bytes: Buffer }> {
      if (damage) throw damage
      const out: Array<{ sha256: string; bytes: Buffer }> = []
      if (chunk.length === 0) return out
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < need) return out
      const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes)
      let offset = 0
      try {
        for (;;) {
          if (bytes.length - offset < FRAME_HEAD_BYTES) {
            need = FRAME_HEAD_BYTES
            break
          }
          const at = consumed + offset
          const type = bytes.readUInt8(offset)
          if (type !== FRAME_PHOTO) throw new PhotoPackError('bad_frame', `frame type ${type} at byte ${at}; a photo pack holds only photo frames (0x50)`)
          const length = bytes.readUInt32BE(offset + 1)
          if (bytes.length - offset < FRAME_HEAD_BYTES + length) {
            need = FRAME_HEAD_BYTES + length
            break
          }
          if (count >= limits.maxPhotos) throw new PhotoPackError('too_many_photos', `more than ${limits.maxPhotos} photos in one pack`)
          out.push(readPhotoFrame(bytes.subarray(offset + FRAME_HEAD_BYTES, offset + FRAME_HEAD_BYTES + length), count++, limits.maxPhotoBytes))
          offset += FRAME_HEAD_BYTES + length
        }
      } catch (error) {
        if (!(error instanceof PhotoPackError) || out.length === 0) throw error
        damage = error
        return out
      }
      consumed += offset
      const rest = bytes.subarray(offset)
      pending = rest.length > 0 ? [rest] : []
      pendingBytes = rest.length
      return out
    },
    /** The body is over: anything left is a frame cut short. */
    end(): void {
      if (damage) throw damage
      if (pendingBytes === 0) return
      if (pendingBytes < FRAME_HEAD_BYTES) throw new PhotoPackError('bad_frame', `frame header cut short at byte ${consumed}`)
      throw new PhotoPackError('bad_frame', `frame at byte ${consumed} is cut short`)
    },
  }
}

/**
 * Splits frames and checks each photo against its hash. Anything wrong is a PhotoPackError: nothing is returned, so
 * a caller cannot store part of a damaged pack. The JPEGs are views into `bytes`, not copies.
 */
export function decodePhotoPack(bytes: Buffer, limits?: PackLimits) {
  const reader = createPhotoPackReader(limits)
  const photos = reader.push(bytes)
  reader.end()
  return photos
}
