import { createPartialPhotos } from './partial-photos'
import type { KeyObject } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../main/services/platform/logger'
import { adminCredential, loadOrCreateAdminToken } from './admin'
import { postActor } from './duplicates'
import type { FaultConfig, FaultPlan } from './faults'
import { createFaultInjector, DEFAULT_FAULTS, FAULT_HEADER, FaultSpecError, parseFaultSpec, validateFaults } from './faults'
import type { IssuedCode } from './enrolment'
import { issueEnrolmentCode, tokenDigest } from './enrolment'
import type { Reply } from './http'
import { DRAIN_FACTOR, errorReply, HttpError, openLineStream } from './http'
import { loadOrCreateCentralKeys } from './keys'
import type { Post } from './posts'
import { postsPath, readPosts, tokenIndex } from './posts'
import type { CentralLimits } from './routes'
import { BATCH_PATH, compileRoutes, DEFAULT_LIMITS, matchRoute, routes } from './routes'
import type { CentralDb, CentralStats } from './store'
import { openCentralStore } from './store'

export { createDemoPosts, DEMO_POST_ID } from './demo'
export type { FaultConfig } from './faults'
export type { Post } from './posts'
export type { CentralLimits } from './routes'
export type { CentralStats } from './store'
export type { IssuedCode } from './enrolment'

/**
 * The reference central API v1 (DESIGN.md §6): what the kiosk's uploader talks to in tests, chaos runs and demos.
 * Plain node:http + better-sqlite3 (WAL), one process, one core. See README.md in this folder for the wire format.
 */
export interface CentralOptions {
  /** Holds posts.json (required), central.sqlite, photos.sqlite and bundle-key.pem (created). */
  dataDir: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** Loopback only by default: this is a test server, not something to expose. */
  host?: string
  /** A spec string (see faults.ts) or a config; none by default. */
  faults?: string | (Partial<Omit<FaultConfig, 'rates'>> & { rates?: FaultConfig['rates'] })
  /** Honour `X-Posko-Fault` on requests. Tests only: a real client must never be able to ask for faults. */
  allowFaultHeader?: boolean
  logger?: Logger
  limits?: Partial<CentralLimits>
  /** Central's clock (receive times, fleet staleness); tests move it. */
  now?: () => Date
}

export interface Central {
  readonly url: string
  readonly posts: readonly Post[]
  readonly db: CentralDb
  /** X25519: what kiosks encrypt offline bundles to (enrolment hands it out). */
  readonly bundlePublicKey: KeyObject
  /** IT's token for GET /fleet and GET /v1/posts (`<data>/admin-token`, 0600). */
  readonly adminToken: string
  /** What `npm run central -- enrol <postId>` does: a one-time code for a kiosk of that post. */
  issueEnrolmentCode(postId: string, options?: { now?: Date; ttlMs?: number }): IssuedCode
  stats(): CentralStats
  close(): Promise<void>
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/** What a hotel or café Wi-Fi answers for any URL until someone clicks "accept": 200, and not the API. */
export const CAPTIVE_PORTAL_HTML =
  '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Login WiFi</title></head>' +
  '<body><h1>Selamat datang di WiFi Gratis</h1><p>Silakan masuk untuk melanjutkan.</p>' +
  '<form method="post" action="/login"><input name="voucher"><button>Masuk</button></form></body></html>'

/** The plan of a request nothing happens to; admin routes use it without drawing from the seeded PRNG. */
const NO_FAULT: FaultPlan = { latencyMs: 0, before: null, partial: false, dropAfter: false, delivery: null, labels: [] }

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(req.headers.authorization ?? '')
  return m ? m[1]! : null
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value
}

/**
 * Consumes what's left of a request body so the client reads our answer instead of a reset connection. Gives up
 * (false) past `limit` bytes; the answer then goes out with Connection: close.
 */
function drain(req: IncomingMessage, limit: number): Promise<boolean> {
  if (req.complete || req.readableEnded || req.destroyed) return Promise.resolve(true)
  return new Promise((resolve) => {
    let size = 0
    const finish = (ok: boolean) => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      if (!ok) req.pause()
      resolve(ok)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) finish(false)
    }
    const onEnd = () => finish(true)
    const onError = () => finish(false)
    req.on('data', onData)
    req.once('end', onEnd)
    req.once('error', onError)
  })
}

function resolveFaults(faults: CentralOptions['faults']): FaultConfig {
  if (faults === undefined) return DEFAULT_FAULTS
  if (typeof faults === 'string') return parseFaultSpec(faults)
  return validateFaults({ ...DEFAULT_FAULTS, ...faults, rates: { ...faults.rates } })
}

/**
 * How long an idle kiosk connection stays open: what production front ends keep (nginx 75 s, cloud load balancers
 * ~60 s), not Node's 5 s. With 5 s, a kiosk reusing a connection after a few idle seconds on a slow link, whose
 * request head then waits behind the link's queue, met a reset mid-pack (links bench at 256 kbit/s: ~2 s and a
 * pack's bytes lost at a batch boundary). Kiosks must still survive a shorter one: such a reset is sent again at once.
 */
const KEEP_ALIVE_MS = 65_000

export async function startCentral(options: CentralOptions): Promise<Central> {
  const logger = options.logger ?? silent
  const limits: CentralLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const posts = readPosts(options.dataDir)
  if (!posts) throw new Error(`${postsPath(options.dataDir)} not found: create it with createDemoPosts() or \`npm run central -- --demo\``)
  const postForToken = tokenIndex(posts)
  const postById = new Map(posts.map((p) => [p.postId, p]))
  const faults = createFaultInjector(resolveFaults(options.faults), options.allowFaultHeader === true)
  const keys = loadOrCreateCentralKeys(options.dataDir)
  const store = openCentralStore(options.dataDir)
  const adminToken = loadOrCreateAdminToken(options.dataDir)
  const clock = options.now ?? (() => new Date())
  // posts.json tokens first (demo kiosks, tests), then the per-kiosk tokens enrolment issued; a revoked kiosk's
  // token is as good as none. Headers only: no body byte is read before this answers.
  const authenticate = (token: string): { post: Post; actor: string } | undefined => {
    const byPost = postForToken(token)
    if (byPost) return { post: byPost, actor: postActor(byPost.postId) }
    const kiosk = store.kioskForToken(tokenDigest(token))
    if (!kiosk || kiosk.revokedAt !== null) return undefined
    const post = postById.get(kiosk.postId)
    return post && { post, actor: kiosk.keyId }
  }
  const partials = createPartialPhotos()
  const compiled = compileRoutes(routes)
  const drainLimit = Math.max(limits.maxBodyBytes, limits.maxPhotoBytes) * DRAIN_FACTOR
  const timers = new Set<NodeJS.Timeout>()
  let closed = false
  /** End of the current 429 storm (ms since epoch); a storm answers everything with 429 until it has passed. */
  let stormUntil = 0

  const send = async (req: IncomingMessage, res: ServerResponse, reply: Reply, plan: FaultPlan | null): Promise<void> => {
    // An answer that already closes the connection (a body far over the limit) isn't worth reading the rest for.
    const closing = reply.headers?.connection === 'close' || !(await drain(req, drainLimit))
    // headersSent: the short request timeout already answered 408 while the handler was still reading.
    if (closed || res.destroyed || res.headersSent) return
    let body = reply.body
    // Only a success is truncated: the dangerous case is a 200 the client might be tempted to half-believe.
    if (plan?.delivery?.kind === 'truncate' && reply.status >= 200 && reply.status < 300) body = body.subarray(0, Math.floor(body.length / 2))
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': String(body.length),
      'cache-control': 'no-store',
      ...reply.headers,
      ...(closing ? { connection: 'close' } : {}),
    })
    if (plan?.delivery?.kind !== 'slow' || body.length === 0) {
      res.end(body)
      return
    }
    // Trickle: headers now, the body in ~20 pieces spread over slowMs, as a congested mobile link would.
    const pieces = Math.min(20, body.length)
    const size = Math.ceil(body.length / pieces)
    const gap = plan.delivery.slowMs / pieces
    res.flushHeaders()
    for (let offset = 0; offset < body.length; offset += size) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, gap)
        timers.add(timer)
      })
      if (closed || res.destroyed) return
      res.write(body.subarray(offset, offset + size))
    }
    res.end()
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now()
    const pathname = (req.url ?? '/').split('?')[0]!
    const match = matchRoute(compiled, req.method ?? '', pathname)
    if (match.kind === 'none') return send(req, res, errorReply(new HttpError(404, 'not_found', `no route ${req.method} ${pathname}`)), null)
    if (match.kind === 'method') {
      const error = new HttpError(405, 'method_not_allowed', `${req.method} not allowed here`, undefined, { allow: match.allow.join(', ') })
      return send(req, res, errorReply(error), null)
    }
    const { route, params } = match
    if (!route.long && !req.complete) {
      // The short routes' own deadline (Node's requestTimeout is per server, and set for the slowest photo pack).
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (req.complete || res.headersSent || res.destroyed) return
        logger.info('central: request timeout', { route: route.path, ms: limits.shortRequestTimeoutMs })
        const reply = errorReply(new HttpError(408, 'request_timeout', `the request did not arrive within ${limits.shortRequestTimeoutMs} ms`))
        res.writeHead(408, { 'content-type': reply.contentType, 'content-length': String(reply.body.length), connection: 'close' })
        res.end(reply.body)
      }, limits.shortRequestTimeoutMs)
      timers.add(timer)
      const clear = () => {
        clearTimeout(timer)
        timers.delete(timer)
      }
      req.once('end', clear)
      res.once('close', clear)
    }
    const base = {
      req,
      params,
      store,
      limits,
      now: () => clock().toISOString(),
      logger,
      keys,
      posts,
      postById: (id: string) => postById.get(id),
      stream: (contentType: string) => openLineStream(res, contentType),
      partials,
    }
    if (route.auth === 'admin') {
      // IT's browser, not a kiosk's link: no faults here, so a chaos run doesn't also break the view of it.
      let reply: Reply
      const via = adminCredential(req, adminToken)
      try {
        if (via === null) throw new HttpError(401, 'unauthorized', 'admin token required (Authorization: Bearer, or open the link `npm run central` prints)')
        reply = await route.handler({ ...base, fault: NO_FAULT, adminVia: via, adminToken })
      } catch (error) {
        if (!(error instanceof HttpError)) throw error
        reply = errorReply(error)
      }
      logger.debug('central: request', { method: req.method, route: route.path, status: reply.status })
      return send(req, res, reply, null)
    }
    let plan: FaultPlan
    try {
      plan = faults.plan(headerString(req.headers[FAULT_HEADER]))
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error
      return send(req, res, errorReply(new HttpError(400, 'invalid_fault', error.message)), null)
    }
    // Only a batch has records to reject; elsewhere a drawn `partial` is a no-op and shouldn't show in the logs.
    if (plan.partial && route.path !== BATCH_PATH) plan = { ...plan, partial: false, labels: plan.labels.filter((l) => l !== 'partial') }
    const log = (status: number | 'dropped', postId?: string) => {
      const fields = { method: req.method, route: route.path, status, ms: Math.round(performance.now() - started), postId }
      if (plan.labels.length > 0) logger.info('central: fault', { ...fields, faults: plan.labels.join(',') })
      else logger.debug('central: request', fields)
    }
    if (plan.latencyMs > 0) await sleep(plan.latencyMs)
    if (closed) return

    const now = Date.now()
    if (now < stormUntil) {
      const retryAfter = Math.ceil((stormUntil - now) / 1000)
      plan = { ...plan, labels: [...plan.labels, '429-storm'] }
      log(429)
      return send(req, res, errorReply(new HttpError(429, 'rate_limited', 'too many requests', undefined, { 'retry-after': String(retryAfter) })), null)
    }
    const before = plan.before
    if (before) {
      if (before.kind === 'drop-before') {
        log('dropped')
        req.socket.destroy()
        return
      }
      let reply: Reply
      if (before.kind === 'captive') reply = { status: 200, body: Buffer.from(CAPTIVE_PORTAL_HTML), contentType: 'text/html; charset=utf-8' }
      else if (before.kind === '429') {
        stormUntil = now + before.retryAfterS * 1000
        reply = errorReply(new HttpError(429, 'rate_limited', 'too many requests', undefined, { 'retry-after': String(before.retryAfterS) }))
      } else if (before.status === 502) reply = { status: 502, body: Buffer.from(BAD_GATEWAY_HTML), contentType: 'text/html' }
      else if (before.status === 503) {
        reply = errorReply(new HttpError(503, 'unavailable', 'service unavailable', undefined, { 'retry-after': String(before.retryAfterS) }))
      } else reply = errorReply(new HttpError(500, 'internal', 'internal server error (injected)'))
      log(reply.status)
      return send(req, res, reply, null)
    }

    let reply: Reply
    let postId: string | undefined
    try {
      if (route.auth === true) {
        const token = bearer(req)
        const who = token === null ? undefined : authenticate(token)
        if (!who) {
          // From the headers alone, and without reading the body afterwards (Connection: close): an unauthenticated
          // client gets no more of central's time and memory than its headers took.
          const error = new HttpError(401, 'unauthorized', token === null ? 'missing Bearer token' : 'unknown token', undefined, {
            'www-authenticate': 'Bearer realm="posko-central"',
            connection: 'close',
          })
          throw error
        }
        postId = who.post.postId
        reply = await route.handler({ ...base, fault: plan, post: who.post, actor: who.actor })
      } else reply = await route.handler({ ...base, fault: plan })
    } catch (error) {
      // Closed, or already answered 408 (the body stopped arriving, which is why the handler failed), or a streamed
      // answer the handler could not finish (it ends its own streams on every path it knows).
      if (closed || res.headersSent) {
        if (!res.writableEnded) res.destroy()
        return
      }
      if (error instanceof HttpError) reply = errorReply(error)
      else {
        logger.error('central: request failed', { route: route.path, error: (error as Error).message })
        reply = errorReply(new HttpError(500, 'internal', 'internal server error'))
      }
    }
    if (reply.streamed) {
      // The route wrote its answer as it went, and applied a drop-after itself (delivery faults do not apply).
      log(plan.dropAfter ? 'dropped' : reply.status, postId)
      return
    }
    if (plan.dropAfter) {
      // The nasty case: whatever the handler did is committed, and the client will never hear about it.
      log('dropped', postId)
      req.socket.destroy()
      return
    }
    log(reply.status, postId)
    await send(req, res, reply, plan)
  }

  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
      // Node checks the timeouts above only this often (30 s by default), which would make short limits inert.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.requestTimeoutMs / 4))),
      keepAliveTimeout: KEEP_ALIVE_MS,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!closed) logger.error('central: unhandled', { error: (error as Error).message })
        res.destroy()
      })
    },
  )
  server.maxConnections = limits.maxConnections
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    store.close()
    throw error
  }
  const address = server.address() as AddressInfo
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  logger.info('central: listening', { url, posts: posts.length })

  let closing: Promise<void> | null = null
  return {
    url,
    posts,
    db: store.db,
    bundlePublicKey: keys.bundlePublicKey,
    adminToken,
    issueEnrolmentCode(postId, codeOptions) {
      const post = postById.get(postId)
      if (!post) throw new Error(`no post ${postId} in ${postsPath(options.dataDir)}`)
      return issueEnrolmentCode(store, post, codeOptions)
    },
    stats: () => store.stats(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true
        for (const timer of timers) clearTimeout(timer)
        server.close(() => {
          store.close()
          resolve()
        })
        server.closeAllConnections()
      })
      return closing
    },
  }
}
