import { z } from 'zod'
import type { FleetAnswer, FleetCredential, FleetPost } from '../../main/services/fleet/wire'
import { Heartbeat } from '../../main/services/fleet/wire'
import { ADMIN_COOKIE } from './admin'
import { fleetLang, renderFleetPage } from './fleet-page'
import type { Reply } from './http'
import { HttpError, jsonReply, mediaType, readBody } from './http'
import type { Post } from './posts'
import type { AdminContext, AuthedContext } from './routes'
import type { CentralStore, StoredAuditAlert } from './store'
import type { CentralLimits } from './routes'
import { duplicateRetryAfter, postActor } from './duplicates'
import { parseTrust, rosterFor } from './roster'

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
  const head = heartbeat.data.auditHead
  // Only an enrolled kiosk has an identity to register (a posts.json token is the post, not a kiosk).
  const kiosk = ctx.store.kiosk(ctx.actor)
  const trust = kiosk ? parseTrust(heartbeat.data, receivedAt) : null
  ctx.store.transaction(() => {
    ctx.store.putHeartbeat(postId, JSON.stringify(heartbeat.data), receivedAt)
    // Per desk (issue 22): the post's row keeps one desk's heartbeat only. A heartbeat without the field (a kiosk
    // from before it) leaves what the desk said last.
    if (kiosk && heartbeat.data.notSafe !== undefined) ctx.store.putNotSafe(ctx.actor, heartbeat.data.notSafe, receivedAt)
    if (!head) return
    // A chain only grows: a head that went back, or the same seq with another hash, means rows were rewritten or
    // dropped since the last heartbeat (or the kiosk was restored from a backup: IT finds out which). Compared per
    // credential, since two kiosks of one post keep a chain each.
    const previous = ctx.store.auditHead(ctx.actor)
    if (previous && (head.seq < previous.seq || (head.seq === previous.seq && head.hash !== previous.hash))) {
      ctx.store.putAuditAlert({ actor: ctx.actor, postId, at: receivedAt, previous, reported: head })
      ctx.logger.warn('central: audit chain does not continue', { postId, credential: ctx.actor, previousSeq: previous.seq, reportedSeq: head.seq })
    }
    ctx.store.putAuditHead(ctx.actor, postId, head, receivedAt)
  })
  const registered = () => ctx.store.postTrust(postId).find((k) => k.keyId === ctx.actor)?.tlsCertSha256
  if (trust && !ctx.store.setKioskTrust(ctx.actor, trust.certSha256, trust.boxPublicKey) && registered() !== trust.certSha256) {
    // Certificates change only by enrolling again: a token alone must not swap a kiosk's identity on the roster.
    ctx.logger.warn('central: kiosk sent a certificate but has one registered already; kept the registered one', { postId, credential: ctx.actor })
  }
  ctx.logger.debug('central: heartbeat', { postId, version: heartbeat.data.version })
  const roster = kiosk ? rosterFor(ctx.store, postId, ctx.actor, receivedAt) : undefined
  return jsonReply(200, { postId, receivedAt, ...(roster ? { roster } : {}) })
}

/** Every post in posts.json with its latest heartbeat; staleness by central's clock, not the kiosk's. */
export function fleetView(posts: readonly Post[], store: CentralStore, now: Date, limits: Pick<CentralLimits, 'maxCrossPostDuplicates' | 'duplicateWindowMs'>): FleetAnswer {
  const beats = store.heartbeats()
  const alerts = store.auditAlerts()
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
      auditAlert: alertView(alerts.get(post.postId)),
    }
  })
  const limit = { max: limits.maxCrossPostDuplicates, windowMs: limits.duplicateWindowMs }
  const hits = store.duplicateHitCounts(new Date(now.getTime() - limit.windowMs).toISOString())
  const counts = (actor: string) => {
    const c = hits.get(actor)
    return { window: c?.recent ?? 0, total: c?.total ?? 0 }
  }
  const notSafe = store.notSafe()
  const safety = (keyId: string): FleetCredential['notSafe'] => {
    const said = notSafe.get(keyId)
    return said && said.count !== null ? { count: said.count, at: said.at } : null
  }
  const credentials: FleetCredential[] = store.kiosks().map((k) => ({
    credential: k.keyId,
    kind: 'kiosk',
    postId: k.postId,
    kioskVersion: k.kioskVersion,
    enrolledAt: k.enrolledAt,
    revokedAt: k.revokedAt,
    crossPostDuplicates: counts(k.keyId),
    limitedForSeconds: duplicateRetryAfter(store, k.keyId, now.getTime(), limit),
    notSafe: safety(k.keyId),
  }))
  for (const post of posts) {
    const actor = postActor(post.postId)
    if (!hits.has(actor)) continue
    credentials.push({
      credential: actor,
      kind: 'post_token',
      postId: post.postId,
      kioskVersion: null,
      enrolledAt: null,
      revokedAt: null,
      crossPostDuplicates: counts(actor),
      limitedForSeconds: duplicateRetryAfter(store, actor, now.getTime(), limit),
      notSafe: null,
    })
  }
  return {
    generatedAt: now.toISOString(),
    staleAfterHours: STALE_AFTER_MS / 3_600_000,
    duplicateWindowMinutes: limit.windowMs / 60_000,
    posts: rows,
    credentials,
  }
}

function alertView(alert: StoredAuditAlert | undefined): FleetPost['auditAlert'] {
  return alert ? { at: alert.at, credential: alert.actor, previous: alert.previous, reported: alert.reported } : null
}

export function getPosts(ctx: AdminContext): Reply {
  return jsonReply(200, fleetView(ctx.posts, ctx.store, new Date(ctx.now()), ctx.limits))
}

/** Midnight in Western Indonesia (UTC+7), where most posts are: "today" on the fleet page. */
export function startOfDayWib(now: Date): Date {
  const WIB = 7 * 3_600_000
  return new Date(Math.floor((now.getTime() + WIB) / 86_400_000) * 86_400_000 - WIB)
}

export function getFleetPage(ctx: AdminContext): Reply {
  const lang = fleetLang(new URL(ctx.req.url ?? '/', 'http://central.invalid').searchParams.get('lang'))
  if (ctx.adminVia === 'query') {
    // Out of the address bar (and the browser history) into a cookie only this page receives.
    return {
      status: 303,
      body: Buffer.alloc(0),
      contentType: 'text/plain; charset=utf-8',
      headers: {
        location: lang === 'en' ? '/fleet?lang=en' : '/fleet',
        'set-cookie': `${ADMIN_COOKIE}=${ctx.adminToken}; Path=/fleet; HttpOnly; SameSite=Strict`,
        'referrer-policy': 'no-referrer',
      },
    }
  }
  const now = new Date(ctx.now())
  const page = renderFleetPage(fleetView(ctx.posts, ctx.store, now, ctx.limits), { lang, registrationsToday: ctx.store.acceptedSince(startOfDayWib(now).toISOString()) })
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
