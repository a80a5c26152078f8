import type { KtpReading } from '../../../common/ktp'
import type { Logger } from '../platform/logger'
import type { Decision } from './consistency'
import { vote } from './read'
import type { KtpFrameReader } from './worker-thread'

/**
 * The KTP step's service in main: a preview frame goes to the worker, and the frames of one scan (its `session`)
 * vote (read.ts vote): what several frames agree on is offered, what they disagree on is withdrawn. Only the last
 * few frames of the last few scans are remembered, and only their checked fields (no image, nothing unchecked).
 */

export interface KtpServiceOptions {
  reader: () => KtpFrameReader
  logger: Logger
  now: () => Date
}

export interface KtpService {
  read(jpegBase64: string, session: string): Promise<KtpReading>
  close(): Promise<void>
}

/** Frames of one scan that vote; older ones drop out (the card may have been swapped). */
const FRAMES_PER_SCAN = 5
const SCANS_KEPT = 4

export function createKtpService(options: KtpServiceOptions): KtpService {
  const scans = new Map<string, Decision[]>()
  let reader: KtpFrameReader | null = null
  return {
    async read(jpegBase64, session) {
      reader ??= options.reader()
      const result = await reader.read(Buffer.from(jpegBase64, 'base64'), options.now())
      if (!result.cardFound) return { cardFound: false, fields: {}, refused: {}, frames: scans.get(session)?.length ?? 0, millis: result.millis }
      const decisions = [...(scans.get(session) ?? []), result.decision].slice(-FRAMES_PER_SCAN)
      scans.delete(session)
      scans.set(session, decisions)
      while (scans.size > SCANS_KEPT) scans.delete(scans.keys().next().value!)
      const voted = vote(decisions)
      options.logger.info('ktp frame read', { millis: Math.round(result.millis), offered: Object.keys(voted.fields).join(','), frames: decisions.length })
      return { cardFound: true, ...voted, frames: decisions.length, millis: result.millis }
    },
    async close() {
      await reader?.close()
      reader = null
    },
  }
}
