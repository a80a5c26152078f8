import { z } from 'zod'
import type { NikLookupAnswer } from '../../main/services/central/wire'
import { assertUnderDuplicateLimit } from './duplicates'
import type { DuplicateLimit } from './duplicates'
import type { Reply } from './http'
import { HttpError, jsonReply, mediaType, readBody } from './http'
import type { AuthedContext } from './routes'

const LookupRequest = z.strictObject({ nik: z.string().regex(/^\d{16}$/) })

/** Marks an "elsewhere" answer given to a lookup (no record of the caller's was involved) in duplicate_hits. */
export const LOOKUP_HIT = 'lookup'

/**
 * POST /v1/registrations:lookup (issue 19.1): the NIK step's question. The caller's own post hears its receipt and
 * state; another post's person is "elsewhere" and nothing more, and each such answer is counted against the caller
 * with the cross-post duplicates of its batches (duplicates.ts): a kiosk asking about many NIKs held elsewhere is
 * probing, and over the limit it gets 429 + Retry-After like a batch would.
 */
export async function postNikLookup(ctx: AuthedContext, limit: DuplicateLimit): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'a lookup is application/json')
  const wire = await readBody(ctx.req, 1024, 'body_too_large')
  let value: unknown
  try {
    value = JSON.parse(wire.toString('utf8'))
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not JSON')
  }
  const request = LookupRequest.safeParse(value)
  if (!request.success) throw new HttpError(400, 'invalid_body', 'a lookup is { "nik": "<16 digits>" }')
  const holder = ctx.store.holderForNik(request.data.nik)
  let answer: NikLookupAnswer
  if (!holder) answer = { match: 'none' }
  else if (holder.postId === ctx.post.postId) {
    answer = { match: 'this_post', receiptNo: holder.receiptNo, registeredAt: holder.acceptedAt, state: 'accepted' }
  } else {
    const now = ctx.now()
    ctx.store.transaction(() => {
      assertUnderDuplicateLimit(ctx.store, ctx.actor, Date.parse(now), limit)
      ctx.store.putDuplicateHit({ actor: ctx.actor, postId: ctx.post.postId, recordId: LOOKUP_HIT, holderPostId: holder.postId, now })
    })
    answer = { match: 'elsewhere' }
  }
  return jsonReply(200, answer)
}
