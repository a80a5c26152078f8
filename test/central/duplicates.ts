import { HttpError } from './http'
import type { CentralStore } from './store'

/**
 * The cross-post duplicate limit (issue 17.6). A `duplicate` for another post's NIK tells the sender that the NIK is
 * registered somewhere: needed for the person in front of the desk, but a stream of them is a kiosk probing NIKs (or
 * squatting them). Each one is counted per credential; once a credential has had `max` of them within `windowMs`,
 * each batch or bundle that would give it another one is refused whole with 429 + Retry-After (the uploader waits
 * exactly that long) until the oldest of those answers has aged out. Its other batches go through, and stored
 * answers (replays, records already answered) are neither counted nor refused: the limit holds back probing only.
 *
 * Why 120 an hour: a desk registers at most about one person a minute, so even a post where every person had
 * already registered elsewhere stays under it; a backlog after days offline is slowed, not lost. The check is made
 * at a batch's first new cross-post duplicate, so a credential can exceed it by one batch (≤ maxRecords) per window:
 * the batch that crosses it is answered whole (one transaction), the next such batch waits. IT sees the counts on the fleet page and can
 * revoke the kiosk (`npm run central -- revoke <keyId>`).
 */
export interface DuplicateLimit {
  max: number
  windowMs: number
}

export const DEFAULT_DUPLICATE_LIMIT: DuplicateLimit = { max: 120, windowMs: 60 * 60 * 1000 }

/** The actor a posts.json token speaks as (enrolled kiosks are their key id). */
export const postActor = (postId: string) => `post:${postId}`

/** Seconds until `actor` may receive cross-post duplicates again, or null if it is under the limit now. */
export function duplicateRetryAfter(store: CentralStore, actor: string, nowMs: number, limit: DuplicateLimit): number | null {
  const times = store.duplicateHitTimes(actor, new Date(nowMs - limit.windowMs).toISOString())
  if (times.length < limit.max) return null
  // Under the limit again once all but max − 1 of the hits in the window have aged out.
  const freedAt = Date.parse(times[times.length - limit.max]!) + limit.windowMs
  return Math.max(1, Math.ceil((freedAt - nowMs) / 1000))
}

/** Throws the 429 when `actor` is over the limit (inside the batch's transaction, which it rolls back). */
export function assertUnderDuplicateLimit(store: CentralStore, actor: string, nowMs: number, limit: DuplicateLimit): void {
  const seconds = duplicateRetryAfter(store, actor, nowMs, limit)
  if (seconds === null) return
  throw new HttpError(
    429,
    'duplicate_limit',
    `${limit.max} answers of "registered at another post" within ${Math.round(limit.windowMs / 60_000)} min; try again later`,
    { retryAfterSeconds: seconds },
    { 'retry-after': String(seconds) },
  )
}
