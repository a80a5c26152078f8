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
 * against its hash, and what arrived of the photo the cut fell in; the kiosk learns which photos central holds (its
 * streamed receipt, or POST /v1/photos:held) and sends only the rest, that photo as a rest frame (FRAME_REST), so a
 * cut costs what was on its way, not the pack.
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
/**
 * The rest of a photo from an offset (issue 23), after a cut fell inside its frame and central kept what had arrived
 * (photos:held?partial=true says how much):
 *
 *   frame  type 0x52 'R' (1 byte) | length n (u32) | SHA-256 of the whole JPEG (32) | offset (u32) | JPEG from offset (n − 36)
 *
 * Central joins it to the first `offset` bytes it kept and checks the whole JPEG against the hash; a central that
 * kept less (or nothing: it restarted, or forgot) refuses the pack there with 409 `partial_unknown`, the frames
 * before it stored, and the kiosk sends that photo whole. Only a kiosk told a partial by central sends one.
 */
export const FRAME_REST = 0x52
export const FRAME_HEAD_BYTES = 5
const HASH_BYTES = 32
const OFFSET_BYTES = 4
/** A photo frame's bytes besides its JPEG: type, length, SHA-256. */
export const PHOTO_FRAME_OVERHEAD = FRAME_HEAD_BYTES + HASH_BYTES

export type PhotoPackFault = 'bad_frame' | 'empty_photo' | 'photo_too_large' | 'too_many_photos' | 'hash_mismatch' | 'partial_unknown'

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

/** The frame that carries a photo's JPEG from `offset` on (FRAME_REST). */
export function encodeRestFrame(sha256: string, jpeg: Buffer, offset: number): Buffer {
  const head = Buffer.alloc(FRAME_HEAD_BYTES + HASH_BYTES + OFFSET_BYTES)
  head.writeUInt8(FRAME_REST, 0)
  head.writeUInt32BE(HASH_BYTES + OFFSET_BYTES + jpeg.length - offset, 1)
  head.write(sha256, FRAME_HEAD_BYTES, HASH_BYTES, 'hex')
  head.writeUInt32BE(offset, FRAME_HEAD_BYTES + HASH_BYTES)
  return Buffer.concat([head, jpeg.subarray(offset)])
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
export function createPhotoPackReader(
  limits: PackLimits = { maxPhotoBytes: Number.POSITIVE_INFINITY, maxPhotos: Number.POSITIVE_INFINITY },
  /** The first bytes of a photo's JPEG central kept from a cut (FRAME_REST); without it a rest frame is a bad frame. */
  kept?: (sha256: string) => Buffer | null,
) {
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
          if (type !== FRAME_PHOTO && !(type === FRAME_REST && kept)) throw new PhotoPackError('bad_frame', `frame type ${type} at byte ${at}; a photo pack holds only photo frames (0x50)`)
          const length = bytes.readUInt32BE(offset + 1)
          if (bytes.length - offset < FRAME_HEAD_BYTES + length) {
            need = FRAME_HEAD_BYTES + length
            break
          }
          if (count >= limits.maxPhotos) throw new PhotoPackError('too_many_photos', `more than ${limits.maxPhotos} photos in one pack`)
          const payload = bytes.subarray(offset + FRAME_HEAD_BYTES, offset + FRAME_HEAD_BYTES + length)
          out.push(type === FRAME_PHOTO ? readPhotoFrame(payload, count, limits.maxPhotoBytes) : readRestFrame(payload, count, limits.maxPhotoBytes, kept!))
          count++
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
    /**
     * The photo whose frame the body stopped in, and its JPEG bytes that arrived (a photo frame's, or a rest frame's
     * joined to what central kept): what central keeps of a cut request, so the kiosk need send only the rest. Null
     * if the body stopped between frames, inside a frame's head, or in a frame that is not a photo's.
     */
    partial(): { sha256: string; bytes: Buffer } | null {
      if (damage || pendingBytes < FRAME_HEAD_BYTES + HASH_BYTES + OFFSET_BYTES) return null
      const bytes = Buffer.concat(pending, pendingBytes)
      const type = bytes.readUInt8(0)
      const length = bytes.readUInt32BE(1)
      const sha256 = bytes.subarray(FRAME_HEAD_BYTES, FRAME_HEAD_BYTES + HASH_BYTES).toString('hex')
      if (type === FRAME_PHOTO && length - HASH_BYTES <= limits.maxPhotoBytes) return { sha256, bytes: bytes.subarray(FRAME_HEAD_BYTES + HASH_BYTES) }
      if (type !== FRAME_REST || !kept) return null
      const at = bytes.readUInt32BE(FRAME_HEAD_BYTES + HASH_BYTES)
      const prefix = kept(sha256)
      if (!prefix || prefix.length < at) return null
      return { sha256, bytes: Buffer.concat([prefix.subarray(0, at), bytes.subarray(FRAME_HEAD_BYTES + HASH_BYTES + OFFSET_BYTES)]) }
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

/** A rest frame's payload (hash, offset, the JPEG from there) joined to the JPEG's first bytes central kept. */
function readRestFrame(payload: Buffer, index: number, maxPhotoBytes: number, kept: (sha256: string) => Buffer | null): { sha256: string; bytes: Buffer } {
  if (payload.length < HASH_BYTES + OFFSET_BYTES) throw new PhotoPackError('bad_frame', `rest frame ${index} is too short`)
  const sha256 = payload.subarray(0, HASH_BYTES).toString('hex')
  const offset = payload.readUInt32BE(HASH_BYTES)
  const prefix = kept(sha256)
  if (!prefix || prefix.length < offset) throw new PhotoPackError('partial_unknown', `central holds less than ${offset} bytes of photo ${sha256}`, sha256)
  const whole = Buffer.concat([payload.subarray(0, HASH_BYTES), prefix.subarray(0, offset), payload.subarray(HASH_BYTES + OFFSET_BYTES)])
  try {
    return readPhotoFrame(whole, index, maxPhotoBytes)
  } catch (error) {
    // What central kept does not make the photo: the kiosk is to send it whole (the kept bytes are dropped).
    if (error instanceof PhotoPackError && error.reason === 'hash_mismatch') throw new PhotoPackError('partial_unknown', `photo ${sha256} joined to what central kept does not match its hash`, sha256)
    throw error
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
