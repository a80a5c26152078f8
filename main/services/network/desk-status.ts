import type { Logger } from '../platform/logger'
import type { PostDesksRepository } from '../store/post-desks'
import { OWN_LOG } from '../store/post-log'

/**
 * This desk's status in its own post log (DESIGN §11, issue 21.4): a 'desk' event with its upload queue depth, so
 * every desk's home screen shows each desk's queue and when it was last heard of. Written when the depth changed,
 * but at most once per `minIntervalMs` (a busy desk's queue moves at every registration and upload: one event each
 * would flood the log the desks pull four times a second), and at least every `keepAliveMs` while nothing changes.
 * The last event is read back from the log, so a restart does not write again before its time. The depth is read in
 * the same write transaction as the event (store/post-desks.ts), like the triggers that write the record events.
 */
export const DESK_STATUS_MIN_MS = 30_000
export const DESK_STATUS_KEEPALIVE_MS = 10 * 60_000

export interface DeskStatusWriter {
  /** Appends a status event if one is due; returns whether it did. */
  tick(): boolean
}

export function createDeskStatusWriter(deps: {
  repo: PostDesksRepository
  queueDepth: () => number
  now: () => Date
  logger: Logger
  minIntervalMs?: number
  keepAliveMs?: number
}): DeskStatusWriter {
  const minMs = deps.minIntervalMs ?? DESK_STATUS_MIN_MS
  const keepAliveMs = deps.keepAliveMs ?? DESK_STATUS_KEEPALIVE_MS
  return {
    tick() {
      const now = deps.now()
      const last = deps.repo.latestStatus(OWN_LOG)
      if (last) {
        const elapsed = now.getTime() - Date.parse(last.at)
        const changed = deps.queueDepth() !== last.queueDepth
        // A clock set back (elapsed < 0) writes at once rather than staying quiet until it catches up.
        if (elapsed >= 0 && elapsed < keepAliveMs && !(changed && elapsed >= minMs)) return false
      }
      const seq = deps.repo.appendDeskStatus(deps.queueDepth, now.toISOString())
      deps.logger.debug('network: desk status written', { seq })
      return true
    },
  }
}
