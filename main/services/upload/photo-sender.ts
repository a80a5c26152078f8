import type { CallFailure, CentralClient, EncodedPhotoPack } from '../central/client'
import { decodePhotoPack } from '../central/photo-pack'
import type { Logger } from '../platform/logger'

export interface PhotoSenderOptions {
  client: CentralClient
  /** Requests in flight at once (packs, or single PUTs to a central without packs). */
  concurrency: number
  logger: Logger
}

/** Central confirmed these photos: mark them, so after a failure only what is missing goes again. */
type Mark = (sha256s: readonly string[]) => void

/**
 * Photos go up before the records that name them, a pack per request (a batch's photos in a few round trips), a
 * few in flight: each lane takes the next pack as it is free, so the packs are read and decrypted while central
 * stores the ones before. A central without packs (404/405) gets one PUT per photo from then on; a pack over its
 * limit (413) is sent one PUT per photo. A failure stops the rest; central stores by hash, so re-sending is
 * harmless. What central confirmed is marked once, at the end, whatever the outcome (one commit per batch).
 */
export function createPhotoSender(options: PhotoSenderOptions) {
  const { client, logger } = options
  let packsUnsupported = false

  async function sendOneByOne(pack: EncodedPhotoPack, confirmed: string[]): Promise<CallFailure | null> {
    for (const photo of decodePhotoPack(Buffer.from(pack.body.buffer, pack.body.byteOffset, pack.body.byteLength))) {
      const outcome = await client.putPhoto(photo.sha256, photo.bytes)
      if (!outcome.ok) return outcome.failure
      confirmed.push(photo.sha256)
    }
    return null
  }

  async function sendPack(pack: EncodedPhotoPack, confirmed: string[]): Promise<CallFailure | null> {
    if (packsUnsupported) return sendOneByOne(pack, confirmed)
    const outcome = await client.putPhotoPack(pack)
    if (outcome.ok) {
      confirmed.push(...pack.sha256s)
      return null
    }
    if (outcome.failure.kind === 'unsupported') {
      packsUnsupported = true
      logger.warn('central has no photo packs: sending photos one by one', { status: outcome.failure.status })
      return sendOneByOne(pack, confirmed)
    }
    if (outcome.failure.kind === 'too_large' && pack.sha256s.length > 1) return sendOneByOne(pack, confirmed)
    return outcome.failure
  }

  return {
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
        for (let pack = take(); pack; pack = take()) failure ??= await sendPack(pack, confirmed)
      }
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane))
      if (confirmed.length > 0) mark(confirmed)
      if (broken) throw (broken as { error: unknown }).error
      return failure
    },
  }
}
