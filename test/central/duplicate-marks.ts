import { DuplicateMark } from '../../main/services/central/wire'
import type { Reply } from './http'
import { HttpError, jsonReply, mediaType, readBody } from './http'
import type { AuthedContext } from './routes'

/**
 * POST /v1/duplicates (issue 21.4): a post's staff marked one record as the duplicate of another of the same NIK
 * (both registered at its desks while their network was split). Central keeps the post's word, once per duplicate:
 * the same mark again is answered the same (the kiosk retries after a lost answer), another mark for that record
 * is 409 `mark_conflict`. A record central holds for another post reads as absent (404), as in GET
 * /v1/registrations/{id}; records not uploaded yet may be marked (the post is often offline). Ids only.
 */
export async function postDuplicateMark(ctx: AuthedContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'a mark is application/json')
  const wire = await readBody(ctx.req, 2048, 'body_too_large')
  let value: unknown
  try {
    value = JSON.parse(wire.toString('utf8'))
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not JSON')
  }
  const parsed = DuplicateMark.safeParse(value)
  if (!parsed.success || parsed.data.duplicateId === parsed.data.keptId) {
    throw new HttpError(400, 'invalid_body', 'a mark is { "duplicateId", "keptId" (two different record ids), "markedAt", "operatorId" }')
  }
  const mark = parsed.data
  for (const id of [mark.duplicateId, mark.keptId]) {
    const held = ctx.store.result(id)
    if (held && held.postId !== ctx.post.postId) throw new HttpError(404, 'not_found', `no registration ${id} for post ${ctx.post.postId}`)
  }
  return ctx.store.transaction(() => {
    const before = ctx.store.duplicateMark(mark.duplicateId)
    if (before) {
      if (before.postId !== ctx.post.postId) throw new HttpError(404, 'not_found', `no registration ${mark.duplicateId} for post ${ctx.post.postId}`)
      if (before.keptId !== mark.keptId) throw new HttpError(409, 'mark_conflict', 'this record is already marked as the duplicate of another record', { keptId: before.keptId })
      return jsonReply(200, { duplicateId: before.duplicateId, keptId: before.keptId, recordedAt: before.receivedAt })
    }
    const recordedAt = ctx.now()
    ctx.store.putDuplicateMark({ ...mark, postId: ctx.post.postId, actor: ctx.actor, receivedAt: recordedAt })
    ctx.logger.info('central: a post marked a duplicate', { postId: ctx.post.postId, duplicateId: mark.duplicateId, keptId: mark.keptId })
    return jsonReply(200, { duplicateId: mark.duplicateId, keptId: mark.keptId, recordedAt })
  })
}
