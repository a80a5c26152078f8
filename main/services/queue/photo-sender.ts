import type { CallFailure, CentralClient, EncodedPhotoPack } from '../central/client'
import { decodePhotoPack } from '../central/photo-pack'
import type { Logger } from '../logger'

export interface PhotoSenderOptions {
  client: CentralClient
  /** Requests in flight at once (packs, or single PUTs to a central without packs). */
  concurrency: number
  logger: Logger
}

/** Central confirmed these photos: mark them, so after a failure only what is missing goes again. */
type Mark = (sha256s: readonly string[]) => void

/**
 * Photos go up before the records that name them, a pack per request (a batch's photos in one or two round
 * trips), a few in flight. A central without packs (404/405) gets one PUT per photo from then on; a pack over its
 * limit (413) is sent one PUT per photo. A failure stops the rest; central stores by hash, so re-sending is harmless.
 */
export function createPhotoSender(options: PhotoSenderOptions) {
  const { client, logger } = options
  let packsUnsupported = false

  async function sendOneByOne(pack: EncodedPhotoPack, mark: Mark): Promise<CallFailure | null> {
    const sent: string[] = []
    let failure: CallFailure | null = null
    for (const photo of decodePhotoPack(Buffer.from(pack.body.buffer, pack.body.byteOffset, pack.body.byteLength))) {
      const outcome = await client.putPhoto(photo.sha256, photo.bytes)
      if (!outcome.ok) {
        failure = outcome.failure
        break
      }
      sent.push(photo.sha256)
    }
    if (sent.length > 0) mark(sent)
    return failure
  }

  async function sendPack(pack: EncodedPhotoPack, mark: Mark): Promise<CallFailure | null> {
    if (packsUnsupported) return sendOneByOne(pack, mark)
    const outcome = await client.putPhotoPack(pack)
    if (outcome.ok) {
      mark(pack.sha256s)
      return null
    }
    if (outcome.failure.kind === 'unsupported') {
      packsUnsupported = true
      logger.warn('central has no photo packs: sending photos one by one', { status: outcome.failure.status })
      return sendOneByOne(pack, mark)
    }
    if (outcome.failure.kind === 'too_large' && pack.sha256s.length > 1) return sendOneByOne(pack, mark)
    return outcome.failure
  }

  return {
    async send(packs: readonly EncodedPhotoPack[], mark: Mark): Promise<CallFailure | null> {
      const queue = [...packs]
      let failure: CallFailure | null = null
      const lane = async () => {
        for (let pack = queue.shift(); pack && !failure; pack = queue.shift()) failure ??= await sendPack(pack, mark)
      }
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane))
      return failure
    },
  }
}
