import type { CallFailure, CentralClient, EncodedPhotoPack, HeldPhotos, PackReceipt } from '../central/client'
import { decodePhotoPack, encodeRestFrame, FRAME_REST, MAX_HELD_QUERY, PHOTO_FRAME_OVERHEAD, splitPhotoPack } from '../central/photo-pack'
import type { Logger } from '../platform/logger'
import { createLinkWindow, type LinkWindow } from './link-window'
import type { PackSizer } from './pack-sizer'
import { createPackSizer, DEFAULT_PACK_SIZING } from './pack-sizer'
import { DEFAULT_PACK_LIMITS } from './prepare'

export interface PhotoSenderOptions {
  client: CentralClient
  /** Requests in flight at once (packs, or single PUTs to a central without packs). */
  concurrency: number
  logger: Logger
  /** Sizes the packs to the link (pack-sizer.ts): told how long each pack took, and of each cut. */
  sizer?: PackSizer
  /** Milliseconds, for the sizer's timings; performance.now by default. */
  now?: () => number
  /** How much may be on the way at once: link-window.ts's measured window by default; null for none (as fast as TCP takes it). */
  window?: LinkWindow | null
}

/** Central confirmed these photos: mark them, so after a failure only what is missing goes again. */
type Mark = (sha256s: readonly string[]) => void

/**
 * A pack cut off on the way (a reset, a dropped link, its deadline passed): central may hold its first photos
 * (routes.ts keeps the complete frames of a cut request), so it is worth asking before sending it again.
 */
const cutOff = (failure: CallFailure) => failure.kind === 'transient' && (failure.reason === 'network' || failure.reason === 'timeout')

/** A photos:held question in flight: `answer` is undefined until it is back, null if it failed. */
interface Question {
  answer: HeldPhotos | null | undefined
}

interface Part {
  pack: EncodedPhotoPack
  question?: Question
}

/**
 * How long an acknowledgement may be on its way back, in the rate of a lane: central's commit (≤ 25 ms apart) and
 * half the round trip. The frames sent in that time before a cut are asked about rather than sent again blindly
 * (links bench at 20 Mbit/s: up to 4 frames, ~1.5 on average per lane and cut, had reached central unacknowledged).
 */
const ACK_WAY_SECONDS = 0.15

const bodyOf = (pack: EncodedPhotoPack) => Buffer.from(pack.body.buffer, pack.body.byteOffset, pack.body.byteLength)

/** Byte offset of frame `count` in the pack (its length past the last frame). */
function frameOffset(pack: EncodedPhotoPack, count: number): number {
  const body = bodyOf(pack)
  const frames = splitPhotoPack(body)
  return count < frames.length ? frames[count]!.frame.byteOffset - body.byteOffset : body.length
}

/** The pack without its first `count` frames (a view of the same bytes). */
function framesAfter(pack: EncodedPhotoPack, count: number): EncodedPhotoPack {
  return { sha256s: pack.sha256s.slice(count), body: bodyOf(pack).subarray(frameOffset(pack, count)) }
}

/** The pack's first `count` frames (a view of the same bytes). */
function framesBefore(pack: EncodedPhotoPack, count: number): EncodedPhotoPack {
  return { sha256s: pack.sha256s.slice(0, count), body: bodyOf(pack).subarray(0, frameOffset(pack, count)) }
}

/** How many of the pack's first frames fit in `bytes`. */
function framesWithin(pack: EncodedPhotoPack, bytes: number): number {
  let count = 0
  for (let end = 0, frames = splitPhotoPack(bodyOf(pack)); count < frames.length; count++) {
    end += frames[count]!.frame.length
    if (end > bytes) break
  }
  return count
}

/**
 * The pack less the photos central holds, and with the rest frame (FRAME_REST) of each photo it kept the first bytes
 * of: a cut inside a frame then costs what was still on its way, not the frame.
 */
function resumed(pack: EncodedPhotoPack, answer: HeldPhotos): EncodedPhotoPack {
  const rest = splitPhotoPack(bodyOf(pack)).filter((f) => !answer.held.has(f.sha256))
  const frames = rest.map(({ sha256, frame }) => {
    const kept = answer.partial.get(sha256)
    const jpeg = frame.subarray(PHOTO_FRAME_OVERHEAD)
    // Only a whole photo frame can be resumed, and only from inside its JPEG.
    return kept !== undefined && frame[0] !== FRAME_REST && kept < jpeg.length ? encodeRestFrame(sha256, jpeg, kept) : frame
  })
  return { sha256s: rest.map((f) => f.sha256), body: Buffer.concat(frames) }
}

/** The pack with each rest frame replaced by the photo's whole frame from `whole` (the pack it was made from). */
function wholeAgain(pack: EncodedPhotoPack, whole: EncodedPhotoPack): EncodedPhotoPack {
  const originals = new Map(splitPhotoPack(bodyOf(whole)).map((f) => [f.sha256, f.frame]))
  const frames = splitPhotoPack(bodyOf(pack)).map((f) => (f.frame[0] === FRAME_REST ? originals.get(f.sha256)! : f.frame))
  return { sha256s: pack.sha256s, body: Buffer.concat(frames) }
}

const holdsRest = (pack: EncodedPhotoPack) => splitPhotoPack(bodyOf(pack)).some((f) => f.frame[0] === FRAME_REST)

/**
 * Cuts in a row that central kept nothing of, sent again at once before the pack fails: on a fast link that drops
 * every few MB a cut often falls before a pack's first frame is whole, which is bad luck, not a dead link (a dead one
 * fails as unreachable, or times out, without this many tries).
 */
const BLANK_CUTS = 2

/**
 * Photos go up before the records that name them, a pack per request (a batch's photos in a few round trips), a
 * few in flight: each lane takes the next pack as it is free, so the packs are read and decrypted while central
 * stores the ones before. A central without packs (404/405) gets one PUT per photo from then on; a pack over its
 * limit (413) is sent one PUT per photo. A pack cut off on the way resumes: central's streamed receipt has said
 * which frames it committed (a central without one is asked, photos:held) and only the rest goes again, at once,
 * for as long as each try gets some further; a cut that got nothing further (or a central that cannot say) is a
 * failure as before, after BLANK_CUTS tries. A failure stops the rest; central stores by hash, so re-sending is
 * harmless. What central confirmed is marked once, at the end, whatever the outcome (one commit per batch).
 */
export function createPhotoSender(options: PhotoSenderOptions) {
  const { client, logger } = options
  const sizer = options.sizer ?? createPackSizer({ ...DEFAULT_PACK_SIZING, maxBytes: DEFAULT_PACK_LIMITS.maxPackBytes })
  const now = options.now ?? (() => performance.now())
  const window = options.window === undefined ? createLinkWindow({ now }) : options.window
  let packsUnsupported = false
  /**
   * Packs in flight across every batch's send (batches claimed ahead send their photos at the same time): a cut
   * resets every connection open, so each pack in flight beyond what keeps the link busy only adds what a cut loses.
   */
  let inFlight = 0
  const waiting: Array<() => void> = []
  const acquire = async () => {
    if (inFlight < Math.max(1, options.concurrency)) {
      inFlight++
      return
    }
    await new Promise<void>((resolve) => waiting.push(resolve))
  }
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else inFlight--
  }
  let heldUnsupported = false
  /** Central streams a pack's receipt (seen once): after a cut, what it holds is known without asking. */
  let streams = false
  /**
   * Photos of packs cut off without central keeping anything new (yet): a link that vanishes without a reset is
   * seen by central only when its request deadline passes, so the next try asks first (for the worker's life).
   */
  const cutBefore = new Set<string>()

  async function sendOneByOne(pack: EncodedPhotoPack, confirmed: string[]): Promise<CallFailure | null> {
    for (const photo of decodePhotoPack(Buffer.from(pack.body.buffer, pack.body.byteOffset, pack.body.byteLength))) {
      const outcome = await client.putPhoto(photo.sha256, photo.bytes)
      if (!outcome.ok) return outcome.failure
      confirmed.push(photo.sha256)
    }
    return null
  }

  /** What central kept is confirmed; the rest of the pack, or null if central kept none of it (or cannot say). */
  async function remainder(pack: EncodedPhotoPack, confirmed: string[]): Promise<EncodedPhotoPack | null> {
    if (heldUnsupported) return null
    const asked = now()
    const outcome = await client.photosHeld(pack.sha256s)
    logger.debug('photos held', { ms: Math.round(now() - asked), ok: outcome.ok })
    if (!outcome.ok) {
      if (outcome.failure.kind === 'unsupported') heldUnsupported = true
      return null
    }
    const held = outcome.value.held
    if (held.size === 0) return null
    const rest = resumed(pack, { held, partial: new Map() })
    confirmed.push(...pack.sha256s.filter((sha256) => held.has(sha256)))
    logger.info('photo pack: central kept part of it, sending only the rest', { kept: held.size, left: rest.sha256s.length, asked: true })
    return rest
  }

  /** Asks central about these photos without waiting: the answer is read only if it is back when wanted. */
  function ask(pack: EncodedPhotoPack): Question {
    const question: Question = { answer: undefined }
    void client.photosHeld(pack.sha256s, { partial: true }).then(
      (outcome) => {
        if (!outcome.ok && outcome.failure.kind === 'unsupported') heldUnsupported = true
        question.answer = outcome.ok ? outcome.value : null
      },
      () => (question.answer = null),
    )
    return question
  }

  async function sendPack(pack: EncodedPhotoPack, confirmed: string[]): Promise<CallFailure | null> {
    if (packsUnsupported) return sendOneByOne(pack, confirmed)
    let first = pack
    if (!streams && pack.sha256s.some((sha256) => cutBefore.has(sha256))) {
      for (const sha256 of pack.sha256s) cutBefore.delete(sha256)
      first = (await remainder(pack, confirmed)) ?? pack
    }
    /** What is left to send, in order; a part with a question goes without the photos central said it holds. */
    const parts: Part[] = [{ pack: first }]
    let blank = 0
    for (let part = parts.shift(); part; part = parts.shift()) {
      let current = part.pack
      const answer = part.question?.answer
      if (answer) {
        confirmed.push(...current.sha256s.filter((sha256) => answer.held.has(sha256)))
        current = resumed(current, answer)
        if (answer.partial.size > 0) logger.debug('photo pack: resuming inside photos', { photos: answer.partial.size, kept: [...answer.partial.values()].reduce((a, b) => a + b, 0) })
      }
      if (current.sha256s.length === 0) continue
      const started = now()
      // Paced only where central streams its receipt: the acknowledgements are what open the window.
      const flight = streams ? (window?.flight() ?? null) : null
      const receipt: PackReceipt = { streamed: false, stored: 0, changed: flight ? (stored) => flight.stored(stored) : undefined }
      const outcome = await client.putPhotoPack(current, receipt, flight ?? undefined).finally(() => flight?.end())
      logger.debug('photo pack', { window: Math.round(window?.limit() ?? 0), bytes: current.body.byteLength, ms: Math.round(now() - started), outcome: outcome.ok ? 'stored' : outcome.failure.kind, stored: receipt.stored })
      if (receipt.streamed) streams = true
      if (outcome.ok) {
        sizer.answered(current.body.byteLength, now() - started)
        confirmed.push(...current.sha256s)
        continue
      }
      // Central's receipt named these frames committed before the pack failed: they are central's whatever follows.
      const kept = receipt.stored
      if (kept > 0) {
        confirmed.push(...current.sha256s.slice(0, kept))
        current = framesAfter(current, kept)
        if (current.sha256s.length === 0) continue
      }
      const failure = outcome.failure
      // Central no longer holds the first bytes it said it kept (it restarted, or forgot them): the photos go whole.
      if (failure.kind === 'conflict' && holdsRest(current)) {
        parts.unshift({ pack: wholeAgain(current, pack) })
        continue
      }
      if (failure.kind === 'unsupported' || (failure.kind === 'too_large' && current.sha256s.length > 1)) {
        if (failure.kind === 'unsupported') {
          packsUnsupported = true
          logger.warn('central has no photo packs: sending photos one by one', { status: failure.status })
        }
        const single = await sendOneByOne(current, confirmed)
        if (single) return single
        continue
      }
      if (!cutOff(failure)) return failure
      sizer.cut()
      if (streams) {
        if (kept > 0) blank = 0
        else if (++blank > BLANK_CUTS) return failure
        // The receipt said what central holds. The frames just past it may have arrived (whole, or the one the cut
        // fell in, in part) while their acknowledgement was on its way back: asked about while the frames after them
        // go again, they follow, less what central holds (whole if the answer is not back by then: the link is not
        // left idle for a question). Which frames those are: the ones handed to the connection past the receipt,
        // where the body was paced and some were not handed yet (then the photo the cut fell in is among them); else
        // those the lane's rate sends while an acknowledgement comes back.
        const handed = receipt.sent === undefined ? null : receipt.sent - kept
        const inDoubt = Math.max(
          1,
          handed !== null && handed < current.sha256s.length ? Math.min(MAX_HELD_QUERY, handed) : framesWithin(current, (sizer.bytesPerSecond() ?? 0) * ACK_WAY_SECONDS),
        )
        if (inDoubt < current.sha256s.length && !heldUnsupported) {
          const uncertain = framesBefore(current, inDoubt)
          parts.unshift({ pack: framesAfter(current, inDoubt) }, { pack: uncertain, question: ask(uncertain) })
        } else parts.unshift({ pack: current })
        if (kept > 0) logger.info('photo pack: central kept part of it, sending only the rest', { kept, left: current.sha256s.length, asked: false })
        else logger.info('photo pack: cut off before central acknowledged any of it, sending it again', { left: current.sha256s.length, blank })
        continue
      }
      const rest = await remainder(current, confirmed)
      if (rest) {
        blank = 0
        parts.unshift({ pack: rest })
        continue
      }
      if (heldUnsupported || ++blank > BLANK_CUTS) {
        for (const sha256 of current.sha256s) cutBefore.add(sha256)
        return failure
      }
      parts.unshift({ pack: current })
    }
    return null
  }

  return {
    /** Bytes of frames for the next pack, sized to the link (pack-sizer.ts). */
    packBytes: () => sizer.packBytes(),
    /** Sends `packs`, taking each only when a lane is free; a pack that cannot be built (thrown) stops the rest. */
    async send(packs: Iterable<EncodedPhotoPack>, mark: Mark): Promise<CallFailure | null> {
      const source = packs[Symbol.iterator]()
      const confirmed: string[] = []
      let failure: CallFailure | null = null
      let broken: { error: unknown } | null = null
      const take = (): EncodedPhotoPack | null => {
        if (failure || broken) return null
        try {
          const step = source.next()
          return step.done ? null : step.value
        } catch (error) {
          broken = { error }
          return null
        }
      }
      const lane = async () => {
        for (;;) {
          await acquire()
          try {
            const pack = take()
            if (!pack) return
            // Not `failure ??= await …`: that reads `failure` before the await and writes after it, so a lane
            // whose pack went through would overwrite another lane's failure with null, and the batch would be
            // posted without that lane's photos (central: validation.photo_missing).
            const outcome = await sendPack(pack, confirmed)
            failure = failure ?? outcome
          } finally {
            release()
          }
        }
      }
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane))
      if (confirmed.length > 0) mark(confirmed)
      if (broken) throw (broken as { error: unknown }).error
      return failure
    },
  }
}
