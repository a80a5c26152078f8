import type { IncomingMessage } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'
import type { Logger } from '../../main/services/platform/logger'
import { BUNDLES_PATH } from '../../main/services/bundle/wire'
import type { PhotoPackFault } from '../../main/services/central/photo-pack'
import { createPhotoPackReader, MAX_HELD_QUERY, PHOTO_PACK_MEDIA_TYPE, PHOTO_PACK_PATH, PhotoPackError, PHOTOS_HELD_PATH, RECEIPT_MEDIA_TYPE } from '../../main/services/central/photo-pack'
import { MIN_BYTES_PER_SECOND } from '../../main/services/central/transport'
import { ENROL_PATH, EnrolRequest } from '../../main/services/enrolment/wire'
import { NIK_LOOKUP_PATH, PhotosHeldRequest } from '../../main/services/central/wire'
import type { PartialPhotos } from './partial-photos'
import { applyBatch, BatchEnvelope, canonicalJson, sha256Hex } from './batch'
import { assertUnderDuplicateLimit, DEFAULT_DUPLICATE_LIMIT } from './duplicates'
import { importBundle, spoolBundle } from './bundles'
import { postNikLookup } from './nik-lookup'
import { postDuplicateMark } from './duplicate-marks'
import { DUPLICATES_PATH } from '../../main/services/central/wire'
import type { AdminCredential } from './admin'
import { enrolKiosk } from './enrolment'
import { getFleetPage, getPosts, postHeartbeat } from './fleet'
import { FLEET_REVOKE_PATH, getRevokeConfirm, postRevoke } from './fleet-revoke'
import type { FaultPlan } from './faults'
import type { LineStream, Reply } from './http'
import { accepts, DRAIN_FACTOR, HttpError, jsonReply, mediaType, readBody, STREAMED } from './http'
import type { CentralKeys } from './keys'
import type { Post } from './posts'
import type { CentralStore } from './store'

export interface CentralLimits {
  /** Batch body, after decompression (and the compressed bytes on the wire too). */
  maxBodyBytes: number
  maxRecords: number
  maxPhotoBytes: number
  /**
   * The whole request (headers and body) must arrive within this (headers alone within 60 s at most): the routes
   * that carry photos and records (`long` in the table). Every other route's body must arrive within
   * shortRequestTimeoutMs of its headers: a few KB has no reason to take minutes, and a slow trickle there only
   * holds a connection.
   */
  requestTimeoutMs: number
  shortRequestTimeoutMs: number
  /** Open connections at once (server.maxConnections); past it a new connection is closed at once. */
  maxConnections: number
  /** An offline bundle file (POST /v1/bundles): all of a post's photos can be in one. */
  maxBundleBytes: number
  /** Photos in one pack (POST /v1/photos:batch); the pack's bytes are bounded by maxBodyBytes. */
  maxPackPhotos: number
  /** Cross-post duplicate answers one credential may get within duplicateWindowMs (duplicates.ts). */
  maxCrossPostDuplicates: number
  duplicateWindowMs: number
}

const MAX_BODY_BYTES = 8 * 1024 * 1024

export const DEFAULT_LIMITS: CentralLimits = {
  maxBodyBytes: MAX_BODY_BYTES,
  maxRecords: 500,
  maxPhotoBytes: 2 * 1024 * 1024,
  // Time for the largest body over the slowest uplink the kiosk allows for (transport.ts): a flat 30 s refused every
  // photo pack from a post on a link under ~1.1 Mbit/s.
  requestTimeoutMs: 30_000 + Math.ceil((MAX_BODY_BYTES / MIN_BYTES_PER_SECOND) * 1000),
  shortRequestTimeoutMs: 30_000,
  // 56 posts with a kiosk or two each, IT's browser, and room for a uploader's retries overlapping a stuck socket.
  maxConnections: 256,
  maxBundleBytes: 256 * 1024 * 1024,
  maxPackPhotos: 1000,
  maxCrossPostDuplicates: DEFAULT_DUPLICATE_LIMIT.max,
  duplicateWindowMs: DEFAULT_DUPLICATE_LIMIT.windowMs,
}

const duplicateLimit = (limits: CentralLimits) => ({ max: limits.maxCrossPostDuplicates, windowMs: limits.duplicateWindowMs })

export interface RouteContext {
  req: IncomingMessage
  params: Record<string, string>
  store: CentralStore
  limits: CentralLimits
  fault: FaultPlan
  now: () => string
  logger: Logger
  keys: CentralKeys
  posts: readonly Post[]
  postById(postId: string): Post | undefined
  /** Answers 200 now, as lines the route writes as it goes (a streamed receipt); the route then returns STREAMED. */
  stream(contentType: string): LineStream
  /** What arrived of photos whose frame a cut fell in (partial-photos.ts). */
  partials: PartialPhotos
}
export interface AuthedContext extends RouteContext {
  post: Post
  /** The credential: an enrolled kiosk's key id, or `post:<postId>` for a posts.json token (duplicates.ts). */
  actor: string
}
/** IT's routes: the admin token (never a post token), and how it came (a query token is moved into a cookie). */
export interface AdminContext extends RouteContext {
  adminVia: AdminCredential
  adminToken: string
}

export type Method = 'GET' | 'PUT' | 'POST'
/** `long`: the route carries photos or records and gets limits.requestTimeoutMs; the others the short timeout. */
export type Route =
  | { method: Method; path: string; auth: true; long?: true; handler: (ctx: AuthedContext) => Promise<Reply> | Reply }
  | { method: Method; path: string; auth: false; long?: true; handler: (ctx: RouteContext) => Promise<Reply> | Reply }
  | { method: Method; path: string; auth: 'admin'; long?: true; handler: (ctx: AdminContext) => Promise<Reply> | Reply }

const SHA256 = /^[0-9a-f]{64}$/

async function putPhoto(ctx: AuthedContext): Promise<Reply> {
  const sha256 = ctx.params.sha256!
  if (!SHA256.test(sha256)) throw new HttpError(400, 'invalid_hash', 'photo path must be /v1/photos/<64 lower-case hex digits of SHA-256>')
  if (mediaType(ctx.req.headers['content-type']) !== 'image/jpeg') throw new HttpError(415, 'unsupported_media_type', 'photos are image/jpeg')
  const bytes = await readBody(ctx.req, ctx.limits.maxPhotoBytes, 'photo_too_large')
  if (bytes.length === 0) throw new HttpError(400, 'empty_body', 'photo body is empty')
  const actual = sha256Hex(bytes)
  if (actual !== sha256) throw new HttpError(422, 'hash_mismatch', `body hashes to ${actual}, not ${sha256}`)
  const outcome = ctx.store.putPhoto(sha256, bytes, ctx.post.postId, ctx.now())
  return jsonReply(outcome === 'created' ? 201 : 200, { sha256, size: bytes.length })
}

const PACK_FAULT_STATUS: Record<PhotoPackFault, number> = { bad_frame: 400, empty_photo: 400, too_many_photos: 413, photo_too_large: 413, hash_mismatch: 422, partial_unknown: 409 }

function packRefusal(error: PhotoPackError, limits: CentralLimits): HttpError {
  const details: Record<string, string | number> = { reason: error.reason }
  if (error.sha256) details.sha256 = error.sha256
  if (error.reason === 'too_many_photos') details.maxPhotos = limits.maxPackPhotos
  if (error.reason === 'photo_too_large') details.limit = limits.maxPhotoBytes
  return new HttpError(PACK_FAULT_STATUS[error.reason], 'invalid_pack', error.message, details)
}

/**
 * How often a streamed pack's receipt commits and acknowledges the frames that arrived (at most): a commit per
 * chunk read would be hundreds a second on a fast link, each with the photo store's fsync; 25 ms is ~60 KB at
 * 20 Mbit/s, which a cut then may send again (on top of the acknowledgements still on their way).
 */
export const RECEIPT_EVERY_MS = 25

/**
 * Many photos in one request, read frame by frame as they arrive. Answered two ways (issue 23):
 * - A kiosk that accepts the streamed receipt (RECEIPT_MEDIA_TYPE) gets its 200 at once and a line as the frames
 *   are committed (every RECEIPT_EVERY_MS at most), then `done`, or the refusal with its status: a damaged frame
 *   stops the pack there, the frames acknowledged before it stay stored (each was checked against its hash). After
 *   a cut the kiosk sends the frames not acknowledged, without asking.
 * - Otherwise (older kiosks) the answer comes at the end: a complete pack stored in one transaction, a damaged one
 *   (a bad frame or hash anywhere) storing nothing.
 * Either way a request cut off mid-body (the link dropped, the kiosk gave up) keeps the complete, checked frames
 * that arrived: a kiosk without the receipt asks photos:held and sends only the rest. Content-addressed, so keeping
 * or re-sending a photo is always safe.
 */
async function postPhotoPack(ctx: AuthedContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== PHOTO_PACK_MEDIA_TYPE) {
    throw new HttpError(415, 'unsupported_media_type', `photo packs are ${PHOTO_PACK_MEDIA_TYPE}`)
  }
  const limit = ctx.limits.maxBodyBytes
  const drainLimit = limit * DRAIN_FACTOR
  const declared = Number(ctx.req.headers['content-length'])
  if (Number.isFinite(declared) && declared > drainLimit) {
    throw new HttpError(413, 'body_too_large', `body of ${declared} bytes is over the limit of ${limit}`, { limit }, { connection: 'close' })
  }
  const receipt = accepts(ctx.req.headers.accept, RECEIPT_MEDIA_TYPE) ? ctx.stream(RECEIPT_MEDIA_TYPE) : null
  const postId = ctx.post.postId
  const reader = createPhotoPackReader({ maxPhotoBytes: ctx.limits.maxPhotoBytes, maxPhotos: ctx.limits.maxPackPhotos }, (sha256) => ctx.partials.get(postId, sha256))
  /** Frames read whole and checked, not stored yet. */
  let pending: Array<{ sha256: string; bytes: Buffer }> = []
  const answer: Array<{ sha256: string; size: number; created: boolean }> = []
  let committed = performance.now()
  let timer: NodeJS.Timeout | null = null
  const commit = () => {
    if (timer) clearTimeout(timer)
    timer = null
    committed = performance.now()
    if (pending.length === 0) return
    const created = ctx.store.putPhotos(pending, ctx.post.postId, ctx.now())
    for (const p of pending) ctx.partials.drop(postId, p.sha256)
    const stored = pending.map((p, i) => ({ sha256: p.sha256, size: p.bytes.length, created: created[i]! }))
    pending = []
    if (receipt) receipt.line({ stored })
    else answer.push(...stored)
  }
  /** Streamed: what arrived is committed and acknowledged now, or as soon as RECEIPT_EVERY_MS has passed. */
  const acknowledge = () => {
    if (!receipt || pending.length === 0 || timer) return
    const wait = RECEIPT_EVERY_MS - (performance.now() - committed)
    if (wait <= 0) commit()
    else timer = setTimeout(commit, wait)
  }
  const refuse = (error: HttpError): Reply => {
    if (!receipt) throw error
    commit()
    receipt.end({ status: error.status, error: error.body().error })
    if (error.headers.connection === 'close') receipt.drop()
    return STREAMED
  }
  let size = 0
  let photos = 0
  /** The first fault; the rest of the body is read (and dropped) so the kiosk reads the refusal, not a reset. */
  let fault: PhotoPackError | null = null
  try {
    for await (const chunk of ctx.req) {
      const buf = chunk as Buffer
      size += buf.length
      if (size > drainLimit) return refuse(new HttpError(413, 'body_too_large', `body is over the limit of ${limit} bytes`, { limit }, { connection: 'close' }))
      if (size > limit || fault) continue
      try {
        const complete = reader.push(buf)
        photos += complete.length
        pending.push(...complete)
        acknowledge()
      } catch (error) {
        if (!(error instanceof PhotoPackError)) throw error
        fault = error
        // What central kept does not make that photo: forget it, the kiosk sends the photo whole.
        if (error.reason === 'partial_unknown' && error.sha256) ctx.partials.drop(postId, error.sha256)
      }
    }
  } catch (error) {
    if (error instanceof HttpError) throw error
    return keepCutPack(error as Error)
  }
  if (!ctx.req.complete) return keepCutPack(new Error('connection closed'))
  if (size > limit) return refuse(new HttpError(413, 'body_too_large', `body of ${size} bytes is over the limit of ${limit}`, { limit }))
  if (size === 0) return refuse(new HttpError(400, 'empty_body', 'photo pack is empty'))
  try {
    if (fault) throw fault
    reader.end()
  } catch (error) {
    if (!(error instanceof PhotoPackError)) throw error
    // Unstreamed, nothing of a damaged pack is stored: the frames before the damage are still only pending.
    return refuse(packRefusal(error, ctx.limits))
  }
  commit()
  if (!receipt) return jsonReply(200, { photos: answer })
  if (ctx.fault.dropAfter) receipt.drop()
  else receipt.end({ done: { photos } })
  return STREAMED

  /** Cut off mid-body: keep what arrived whole and checked; no one is listening for an answer. */
  function keepCutPack(error: Error): Reply {
    if (!fault && pending.length > 0) {
      ctx.logger.info('central: kept the complete photos of a cut pack', { postId: ctx.post.postId, photos: pending.length, bytes: size })
    }
    if (fault) pending = []
    else {
      // The photo the cut fell in: its bytes that arrived, so the kiosk can send only the rest (FRAME_REST).
      const partial = reader.partial()
      if (partial) ctx.partials.keep(postId, partial.sha256, partial.bytes)
    }
    commit()
    if (receipt) {
      receipt.drop()
      return STREAMED
    }
    throw new HttpError(400, 'body_cut_short', `the pack stopped after ${size} bytes: ${error.message}`)
  }
}

/**
 * Which of the asked photos central holds, in the order asked. A kiosk asks after a pack was cut off, and sends
 * only the others; a photo is central's once stored, whoever sent it (as PUT's 200 "exists" already says).
 */
async function postPhotosHeld(ctx: AuthedContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'a question is application/json')
  const wire = await readBody(ctx.req, 128 * 1024, 'body_too_large')
  let value: unknown
  try {
    value = JSON.parse(wire.toString('utf8'))
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not JSON')
  }
  const request = PhotosHeldRequest.safeParse(value)
  if (!request.success) throw new HttpError(400, 'invalid_body', `a question is { "sha256s": [1 to ${MAX_HELD_QUERY} lower-case hex SHA-256] }`)
  const held = request.data.sha256s.filter((sha256) => ctx.store.photoExists(sha256))
  // ?partial=true (a kiosk that sends rest frames; older centrals ignore the query): how much of the others central
  // kept from a cut. Only an asker that reads the field gets it.
  if (new URL(ctx.req.url ?? '/', 'http://central.invalid').searchParams.get('partial') !== 'true') return jsonReply(200, { held })
  const whole = new Set(held)
  const partial = request.data.sha256s.flatMap((sha256) => {
    const bytes = whole.has(sha256) ? null : ctx.partials.get(ctx.post.postId, sha256)
    return bytes ? [{ sha256, bytes: bytes.length }] : []
  })
  return jsonReply(200, { held, partial })
}

/** Body → JSON value, with the reason in the 400 so a developer reading the kiosk's log knows what to fix. */
function decodeJsonBody(ctx: AuthedContext, wire: Buffer): unknown {
  const encoding = (ctx.req.headers['content-encoding'] ?? 'identity').trim().toLowerCase()
  let bytes = wire
  if (encoding === 'gzip') {
    try {
      // maxOutputLength stops a small gzip bomb from inflating past the limit in memory.
      bytes = gunzipSync(wire, { maxOutputLength: ctx.limits.maxBodyBytes })
    } catch (error) {
      if (error instanceof RangeError) {
        throw new HttpError(413, 'body_too_large', `decompressed body is over ${ctx.limits.maxBodyBytes} bytes`, { limit: ctx.limits.maxBodyBytes })
      }
      throw new HttpError(400, 'invalid_gzip', `body is not valid gzip: ${(error as Error).message}`)
    }
  } else if (encoding !== 'identity') {
    throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported (gzip or none)`)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not UTF-8')
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `body is not JSON: ${(error as Error).message}`)
  }
}

async function postBatch(ctx: AuthedContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'batches are application/json (optionally Content-Encoding: gzip)')
  }
  const wire = await readBody(ctx.req, ctx.limits.maxBodyBytes, 'body_too_large')
  const value = decodeJsonBody(ctx, wire)
  const envelope = BatchEnvelope.safeParse(value)
  if (!envelope.success) throw new HttpError(400, 'invalid_body', `batch envelope: ${z.prettifyError(envelope.error).replace(/\n/g, ' ')}`)
  const { postId, batchId, records } = envelope.data
  if (postId !== ctx.post.postId) throw new HttpError(403, 'forbidden', `this token belongs to post ${ctx.post.postId}, not ${postId}`)
  const key = ctx.req.headers['idempotency-key']
  if (key !== batchId) throw new HttpError(400, 'idempotency_key_mismatch', 'header Idempotency-Key must equal the body batchId')
  if (records.length > ctx.limits.maxRecords) {
    throw new HttpError(413, 'too_many_records', `${records.length} records; at most ${ctx.limits.maxRecords} per batch`, { maxRecords: ctx.limits.maxRecords })
  }
  const bodySha256 = sha256Hex(canonicalJson(value))
  const earlier = ctx.store.batch(postId, batchId)
  if (earlier) {
    if (earlier.bodySha256 !== bodySha256) throw new HttpError(409, 'idempotency_conflict', `batch ${batchId} was already sent with a different body`)
    return { status: 200, body: earlier.answer, contentType: 'application/json; charset=utf-8', headers: { 'idempotent-replayed': 'true' } }
  }
  const answer = applyBatch(ctx.store, {
    postId,
    batchId,
    bodySha256,
    records,
    actor: ctx.actor,
    // Only a batch that would tell this credential about another post's person is refused while it is over.
    beforeCrossPostDuplicate: () => assertUnderDuplicateLimit(ctx.store, ctx.actor, Date.parse(ctx.now()), duplicateLimit(ctx.limits)),
    partial: ctx.fault.partial,
    now: ctx.now(),
  })
  ctx.logger.info('central: batch applied', { postId, batchId, records: records.length })
  return { status: 200, body: answer, contentType: 'application/json; charset=utf-8' }
}

function getRegistration(ctx: AuthedContext): Reply {
  const id = ctx.params.id!
  const stored = ctx.store.result(id)
  // Another post's record reads as absent, so a token can't probe which ids exist elsewhere.
  if (!stored || stored.postId !== ctx.post.postId) throw new HttpError(404, 'not_found', `no registration ${id} for post ${ctx.post.postId}`)
  return jsonReply(200, {
    id,
    status: stored.status,
    centralId: stored.centralId,
    verification: 'pending',
    // The post's own mark from its anomaly screen (POST /v1/duplicates), when it made one.
    ...(ctx.store.duplicateMark(id)?.postId === ctx.post.postId ? { markedDuplicateOf: ctx.store.duplicateMark(id)!.keptId } : {}),
    ...(stored.status === 'rejected' ? { errors: stored.errors ?? [] } : {}),
  })
}

const MAX_ENROL_BODY = 16 * 1024

async function postEnrol(ctx: RouteContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'enrolment is application/json')
  const wire = await readBody(ctx.req, MAX_ENROL_BODY, 'body_too_large')
  let value: unknown
  try {
    value = JSON.parse(wire.toString('utf8'))
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `body is not JSON: ${(error as Error).message}`)
  }
  const request = EnrolRequest.safeParse(value)
  if (!request.success) throw new HttpError(400, 'invalid_body', `enrolment: ${z.prettifyError(request.error).replace(/\n/g, ' ')}`)
  const answer = enrolKiosk(ctx.store, ctx.keys, ctx.postById(request.data.postId), request.data, ctx.now())
  ctx.logger.info('central: kiosk enrolled', { postId: answer.postId, kioskKeyId: answer.kioskKeyId, version: request.data.kioskVersion })
  return jsonReply(200, answer)
}

/**
 * The body as it arrives, refused with 413 the moment it passes `limit` (a Content-Length over it, before a byte).
 * No connection: close here: the server drains what follows up to its usual bound, so a kiosk a little over the
 * limit reads "too large" rather than a reset; one far over it is cut off (server.ts drain).
 */
async function* cappedBody(req: IncomingMessage, limit: number, seen: { bytes: number }): AsyncGenerator<Buffer> {
  const tooLarge = (size: number) => new HttpError(413, 'bundle_too_large', `body of ${size} bytes is over the limit of ${limit}`, { limit })
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared)
  for await (const chunk of req) {
    seen.bytes += (chunk as Buffer).length
    // No reading past the limit: a bundle that big is refused whole, there is no smaller version to send instead.
    if (seen.bytes > limit) throw tooLarge(seen.bytes)
    yield chunk as Buffer
  }
}

/** Streamed to a temp file and read from there (bundles.ts): a bundle of a whole post's photos is never in memory. */
async function postBundle(ctx: AuthedContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/octet-stream') {
    throw new HttpError(415, 'unsupported_media_type', 'bundles are application/octet-stream (the .pkb file as it is)')
  }
  const seen = { bytes: 0 }
  let spooled
  try {
    spooled = await spoolBundle(cappedBody(ctx.req, ctx.limits.maxBundleBytes, seen))
  } catch (error) {
    if (seen.bytes === 0 && error instanceof HttpError && error.code === 'invalid_bundle') throw new HttpError(400, 'empty_body', 'bundle body is empty')
    throw error
  }
  try {
    const outcome = importBundle(ctx.store, ctx.keys, spooled.bundle, {
      importedBy: ctx.post.postId,
      now: ctx.now(),
      maxPhotoBytes: ctx.limits.maxPhotoBytes,
      // The signing kiosk made the records, so its count decides; IT importing with the CLI is not limited.
      beforeCrossPostDuplicate: (kioskKeyId) => assertUnderDuplicateLimit(ctx.store, kioskKeyId, Date.parse(ctx.now()), duplicateLimit(ctx.limits)),
    })
    if (!outcome.replayed) ctx.logger.info('central: bundle imported', { importedBy: ctx.post.postId, bytes: spooled.bundle.layout.size })
    return { status: 200, body: outcome.answer, contentType: 'application/json; charset=utf-8', headers: outcome.replayed ? { 'idempotent-replayed': 'true' } : undefined }
  } finally {
    await spooled.dispose()
  }
}

/** The route table: the server dispatches from it and the OpenAPI test compares it with openapi.json both ways. */
export const BATCH_PATH = '/v1/registrations:batch'

export const routes: readonly Route[] = [
  { method: 'GET', path: '/v1/health', auth: false, handler: () => jsonReply(200, { status: 'ok', time: new Date().toISOString() }) },
  { method: 'PUT', path: '/v1/photos/{sha256}', auth: true, long: true, handler: putPhoto },
  { method: 'POST', path: PHOTO_PACK_PATH, auth: true, long: true, handler: postPhotoPack },
  { method: 'POST', path: PHOTOS_HELD_PATH, auth: true, handler: postPhotosHeld },
  { method: 'POST', path: BATCH_PATH, auth: true, long: true, handler: postBatch },
  { method: 'POST', path: NIK_LOOKUP_PATH, auth: true, handler: (ctx) => postNikLookup(ctx, duplicateLimit(ctx.limits)) },
  { method: 'GET', path: '/v1/registrations/{id}', auth: true, handler: getRegistration },
  { method: 'POST', path: DUPLICATES_PATH, auth: true, handler: postDuplicateMark },
  { method: 'POST', path: ENROL_PATH, auth: false, handler: postEnrol },
  { method: 'POST', path: BUNDLES_PATH, auth: true, long: true, handler: postBundle },
  { method: 'POST', path: '/v1/posts/{id}/heartbeat', auth: true, handler: postHeartbeat },
  { method: 'GET', path: '/v1/posts', auth: 'admin', handler: getPosts },
  { method: 'GET', path: '/fleet', auth: 'admin', handler: getFleetPage },
  { method: 'GET', path: FLEET_REVOKE_PATH, auth: 'admin', handler: getRevokeConfirm },
  { method: 'POST', path: FLEET_REVOKE_PATH, auth: 'admin', handler: postRevoke },
]

export interface CompiledRoute {
  route: Route
  pattern: RegExp
  names: string[]
}

/** "/v1/photos/{sha256}" → /^\/v1\/photos\/([^/]+)$/ with names ["sha256"]; everything else is literal. */
export function compileRoutes(table: readonly Route[]): CompiledRoute[] {
  return table.map((route) => {
    const names: string[] = []
    const source = route.path
      .split(/(\{[A-Za-z0-9_]+\})/)
      .map((part) => {
        const m = /^\{([A-Za-z0-9_]+)\}$/.exec(part)
        if (m) {
          names.push(m[1]!)
          return '([^/]+)'
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('')
    return { route, pattern: new RegExp(`^${source}$`), names }
  })
}

export type Match = { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'method'; allow: Method[] } | { kind: 'none' }

export function matchRoute(compiled: readonly CompiledRoute[], method: string, pathname: string): Match {
  const allow: Method[] = []
  for (const { route, pattern, names } of compiled) {
    const m = pattern.exec(pathname)
    if (!m) continue
    if (route.method !== method) {
      allow.push(route.method)
      continue
    }
    const params: Record<string, string> = {}
    try {
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)))
    } catch {
      return { kind: 'none' }
    }
    return { kind: 'found', route, params }
  }
  return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' }
}
