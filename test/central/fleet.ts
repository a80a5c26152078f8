import { z } from 'zod'
import type { FleetAnswer, FleetPost } from '../../main/services/fleet/wire'
import { Heartbeat } from '../../main/services/fleet/wire'
import { ADMIN_COOKIE } from './admin'
import { renderFleetPage } from './fleet-page'
import type { Reply } from './http'
import { HttpError, jsonReply, mediaType, readBody } from './http'
import type { Post } from './posts'
import type { AdminContext, AuthedContext } from './routes'
import type { CentralStore } from './store'

/** A post with no heartbeat for longer than this is highlighted on the fleet page. */
export const STALE_AFTER_MS = 2 * 60 * 60 * 1000

const MAX_HEARTBEAT_BYTES = 16 * 1024

export async function postHeartbeat(ctx: AuthedContext): Promise<Reply> {
  const postId = ctx.params.id!
  // Same rule as batches: a token speaks for its own post only.
  if (postId !== ctx.post.postId) throw new HttpError(403, 'forbidden', `this token belongs to post ${ctx.post.postId}, not ${postId}`)
  if (mediaType(ctx.req.headers['content-type']) !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'heartbeats are application/json')
  const wire = await readBody(ctx.req, MAX_HEARTBEAT_BYTES, 'body_too_large')
  let value: unknown
  try {
    value = JSON.parse(wire.toString('utf8'))
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `body is not JSON: ${(error as Error).message}`)
  }
  const heartbeat = Heartbeat.safeParse(value)
  if (!heartbeat.success) throw new HttpError(400, 'invalid_body', `heartbeat: ${z.prettifyError(heartbeat.error).replace(/\n/g, ' ')}`)
  const receivedAt = ctx.now()
  ctx.store.putHeartbeat(postId, JSON.stringify(heartbeat.data), receivedAt)
  ctx.logger.debug('central: heartbeat', { postId, version: heartbeat.data.version })
  return jsonReply(200, { postId, receivedAt })
}

/** Every post in posts.json with its latest heartbeat; staleness by central's clock, not the kiosk's. */
export function fleetView(posts: readonly Post[], store: CentralStore, now: Date): FleetAnswer {
  const beats = store.heartbeats()
  const rows: FleetPost[] = posts.map((post) => {
    const stored = beats.get(post.postId)
    const heartbeat = stored ? Heartbeat.safeParse(JSON.parse(stored.body)) : null
    const lastSeenAt = stored?.receivedAt ?? null
    return {
      postId: post.postId,
      name: post.name,
      regencyCode: post.regencyCode,
      lastSeenAt,
      stale: lastSeenAt === null || now.getTime() - Date.parse(lastSeenAt) > STALE_AFTER_MS,
      heartbeat: heartbeat?.success ? heartbeat.data : null,
    }
  })
  return { generatedAt: now.toISOString(), staleAfterHours: STALE_AFTER_MS / 3_600_000, posts: rows }
}

export function getPosts(ctx: AdminContext): Reply {
  return jsonReply(200, fleetView(ctx.posts, ctx.store, new Date(ctx.now())))
}

export function getFleetPage(ctx: AdminContext): Reply {
  if (ctx.adminVia === 'query') {
    // Out of the address bar (and the browser history) into a cookie only this page receives.
    return {
      status: 303,
      body: Buffer.alloc(0),
      contentType: 'text/plain; charset=utf-8',
      headers: {
        location: '/fleet',
        'set-cookie': `${ADMIN_COOKIE}=${ctx.adminToken}; Path=/fleet; HttpOnly; SameSite=Strict`,
        'referrer-policy': 'no-referrer',
      },
    }
  }
  const page = renderFleetPage(fleetView(ctx.posts, ctx.store, new Date(ctx.now())))
  return {
    status: 200,
    body: Buffer.from(page.html),
    contentType: 'text/html; charset=utf-8',
    headers: {
      'content-security-policy': `default-src 'none'; style-src '${page.styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  }
}
