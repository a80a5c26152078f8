import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import type { z } from 'zod'
import type { RegistrationRecord } from '../../../common/registration'
import { PHOTO_PACK_MEDIA_TYPE, PHOTO_PACK_PATH, PHOTOS_HELD_PATH, RECEIPT_MEDIA_TYPE, splitPhotoPack } from './photo-pack'
import type { StreamedBody, Transport, TransportRequest, TransportResponse } from './transport'
import { mediaType, nodeTransport } from './transport'
import { ResponseTooLargeError } from './read-capped'
import type { NikLookupAnswer as NikLookupAnswerType } from './wire'
import type { DuplicateMark } from './wire'
import { BatchAnswer, DUPLICATES_PATH, DuplicateMarkAnswer, HealthAnswer, NIK_LOOKUP_PATH, NikLookupAnswer, PhotoAnswer, PhotoPackAnswer, PhotosHeldAnswer, ReceiptLine, StatusAnswer } from './wire'

const gzip = promisify(gzipCallback)

/**
 * How a call to central went, in the terms the uploader acts on (DESIGN.md §6):
 * auth → stop and alert; too_large → split; retry_after → wait exactly that long; transient → back off;
 * conflict → the idempotency key was reused with another body; malformed → a failure, never a success.
 */
export type CallFailure =
  | { kind: 'auth'; status: 401 | 403 }
  | { kind: 'too_large' }
  | { kind: 'retry_after'; seconds: number; status: number }
  | { kind: 'transient'; reason: string }
  | { kind: 'malformed'; reason: string }
  | { kind: 'conflict' }
  | { kind: 'bad_request'; reason: string }
  /** The route is not there (404/405): a central older than the call. */
  | { kind: 'unsupported'; status: number }

/** Errors of the connection itself: nothing was sent, so central cannot have stored anything. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN'])

/**
 * Whether a failed request may still have been stored by central: the request went out and no answer said
 * otherwise (a timeout, a reset, a 5xx, an answer we could not read). An unreachable central, or an answer that
 * refused the request (401/403, 409, 413, 400, 429/503 with Retry-After), stored nothing.
 */
export function mayHaveArrived(failure: CallFailure): boolean {
  if (failure.kind === 'transient') return failure.reason !== 'unreachable'
  return failure.kind === 'malformed'
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; failure: CallFailure }

export interface BatchRequest {
  postId: string
  batchId: string
  records: readonly RegistrationRecord[]
}

/** A batch already encoded (queue/prepare.ts): gzipped JSON of { postId, batchId, records } in `recordIds` order. */
export interface EncodedBatch {
  batchId: string
  recordIds: readonly string[]
  gzipped: Uint8Array
}

/** A photo pack already encoded (central/photo-pack.ts) and the hashes of its frames, in order. */
export interface EncodedPhotoPack {
  sha256s: readonly string[]
  body: Uint8Array
}

/**
 * What central's streamed receipt of a pack has said so far: whether it streams (a central that does not answers
 * at the end only), and how many of the pack's frames, the first ones, it has committed.
 */
export interface PackReceipt {
  streamed: boolean
  stored: number
  /** Told each time `stored` changes (it goes back to 0 when the receipt turns out not to be one). */
  changed?: (stored: number) => void
  /**
   * How many of the pack's frames, the first ones, were handed to the connection (a paced body only; undefined
   * otherwise). After a cut, those past `stored` may have reached central, whole or in part; the others did not.
   */
  sent?: number
}

/** When each frame of a pack may go (link-window.ts): the body is written frame by frame as it allows. */
export interface PackPacing {
  admit(bytes: number): Promise<void> | null
}

/** Which asked photos central holds whole, and of the others how many first bytes it kept from a cut. */
export interface HeldPhotos {
  held: Set<string>
  partial: Map<string, number>
}

export interface CentralClient {
  putPhoto(sha256: string, jpeg: Uint8Array): Promise<CallOutcome<{ created: boolean }>>
  /**
   * Many photos in one request; `unsupported` from a central without the route (then PUT them one by one).
   * `receipt` is filled in as central's streamed receipt arrives, so after a cut it says how many of the pack's
   * frames (the first ones) central holds.
   */
  putPhotoPack(pack: EncodedPhotoPack, receipt?: PackReceipt, pacing?: PackPacing): Promise<CallOutcome<{ created: number }>>
  /**
   * Which of these photos (≤ MAX_HELD_QUERY) central holds: asked after a pack was cut off, so only the rest is sent
   * again; `unsupported` from a central without the route. With `partial`, also how much central kept of photos a
   * cut fell in (an older central says nothing of them).
   */
  photosHeld(sha256s: readonly string[], options?: { partial?: boolean }): Promise<CallOutcome<HeldPhotos>>
  postBatch(batch: BatchRequest): Promise<CallOutcome<BatchAnswer>>
  postEncodedBatch(batch: EncodedBatch): Promise<CallOutcome<BatchAnswer>>
  health(): Promise<boolean>
  status(recordId: string): Promise<CallOutcome<z.infer<typeof StatusAnswer> | null>>
  /** Who holds a NIK, as far as this post may know; `unsupported` from a central without the route. */
  lookupNik(nik: string): Promise<CallOutcome<NikLookupAnswerType>>
  /** The anomaly screen's mark (issue 21.4); `conflict` if central holds another mark for that record. */
  markDuplicate(mark: DuplicateMark): Promise<CallOutcome<{ recordedAt: string }>>
}

export interface CentralClientOptions {
  baseUrl: string
  token: string
  /** Node's http/https by default; tests wrap it to watch requests or have central inject a fault. */
  transport?: Transport
  timeoutMs?: number
  /** Retry-After above this is clamped, so a misconfigured proxy can't park a post for days. */
  maxRetryAfterSeconds?: number
  /** Every answer's `Date` header: the kiosk checks its own clock against central's (platform/trusted-time.ts). */
  onDate?: (date: string | null) => void
}

function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000)
}

export function createCentralClient(options: CentralClientOptions): CentralClient {
  const transport = options.transport ?? nodeTransport
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 3600
  const base = options.baseUrl.replace(/\/+$/, '')

  /** One exchange, its status read in the uploader's terms; the answer's body is the caller's to read. */
  async function exchange(
    path: string,
    init: Pick<TransportRequest, 'method' | 'body' | 'onLine'> & { headers?: Record<string, string> },
    routeRules: { unsupported?: boolean } = {},
  ): Promise<CallOutcome<TransportResponse>> {
    let response: TransportResponse
    try {
      response = await transport(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...init.headers },
        timeoutMs,
      })
    } catch (error) {
      // An answer over the cap is no answer (a portal or proxy, or a hostile central); the request may still have
      // been applied, which `malformed` says (mayHaveArrived).
      if (error instanceof ResponseTooLargeError) return { ok: false, failure: { kind: 'malformed', reason: 'answer_too_large' } }
      // Reading the body can fail too (connection dropped mid-body): that is transient, not a success.
      const reason = (error as Error).name === 'TimeoutError' ? 'timeout' : UNREACHABLE.has((error as NodeJS.ErrnoException).code ?? '') ? 'unreachable' : 'network'
      return { ok: false, failure: { kind: 'transient', reason } }
    }
    options.onDate?.(response.header('date'))
    const failure = refusal(response.status, response.header('retry-after'), routeRules.unsupported === true)
    return failure ? { ok: false, failure } : { ok: true, value: response }
  }

  /** A status that is not an answer to act on as one: what the uploader does about it (null: read the answer). */
  function refusal(status: number, retryAfter: string | null, routeMayBeMissing: boolean): CallFailure | null {
    if (status === 401 || status === 403) return { kind: 'auth', status }
    if (status === 413) return { kind: 'too_large' }
    if (status === 409) return { kind: 'conflict' }
    if (status === 429 || status === 503) {
      const seconds = parseRetryAfter(retryAfter, Date.now())
      if (seconds !== null) return { kind: 'retry_after', seconds: Math.min(seconds, maxRetryAfter), status }
      return { kind: 'transient', reason: `http_${status}` }
    }
    if (status >= 500) return { kind: 'transient', reason: `http_${status}` }
    if (routeMayBeMissing && (status === 404 || status === 405)) return { kind: 'unsupported', status }
    if (status === 400 || status === 415 || status === 422) return { kind: 'bad_request', reason: `http_${status}` }
    return null
  }

  function readJson<S extends z.ZodType>(response: TransportResponse, schema: S, okStatuses: readonly number[]): CallOutcome<{ status: number; body: z.infer<S> }> {
    const { status, text } = response
    if (!okStatuses.includes(status)) return { ok: false, failure: { kind: 'malformed', reason: `unexpected_status_${status}` } }
    if (!/^application\/json\b/i.test(response.header('content-type') ?? '')) {
      return { ok: false, failure: { kind: 'malformed', reason: 'not_json' } }
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return { ok: false, failure: { kind: 'malformed', reason: 'bad_json' } }
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) return { ok: false, failure: { kind: 'malformed', reason: 'schema' } }
    return { ok: true, value: { status, body: parsed.data } }
  }

  async function call<S extends z.ZodType>(
    path: string,
    init: Pick<TransportRequest, 'method' | 'body'> & { headers?: Record<string, string> },
    schema: S,
    okStatuses: readonly number[],
    routeRules: { unsupported?: boolean } = {},
  ): Promise<CallOutcome<{ status: number; body: z.infer<S> }>> {
    const outcome = await exchange(path, init, routeRules)
    return outcome.ok ? readJson(outcome.value, schema, okStatuses) : outcome
  }

  /**
   * A pack's streamed receipt, line by line: `receipt.stored` follows the frames central says it committed, which
   * must be the pack's next ones in order. Anything else (a line that is not one, a hash out of place, a line after
   * the end) and nothing of the receipt is believed: `stored` goes back to 0 and the answer is malformed.
   */
  function receiptReader(sha256s: readonly string[], receipt: PackReceipt) {
    let created = 0
    let fault: string | null = null
    let last: Exclude<ReceiptLine, { stored: unknown }> | null = null
    const fail = (reason: string) => {
      fault ??= reason
      receipt.stored = 0
      receipt.changed?.(0)
    }
    return {
      line(text: string) {
        if (fault) return
        receipt.streamed = true
        if (last) return fail('after_end')
        let parsed
        try {
          parsed = ReceiptLine.safeParse(JSON.parse(text))
        } catch {
          return fail('bad_json')
        }
        if (!parsed.success) return fail('schema')
        const line = parsed.data
        if (!('stored' in line)) {
          last = line
          return
        }
        const next = sha256s.slice(receipt.stored, receipt.stored + line.stored.length)
        if (next.length !== line.stored.length || line.stored.some((p, i) => p.sha256 !== next[i])) return fail('wrong_photos')
        receipt.stored += line.stored.length
        receipt.changed?.(receipt.stored)
        created += line.stored.filter((p) => p.created).length
      },
      /** The receipt read whole: the pack's outcome. */
      end(status: number): CallOutcome<{ created: number }> {
        const malformed = (reason: string): CallOutcome<{ created: number }> => {
          receipt.stored = 0
          receipt.changed?.(0)
          return { ok: false, failure: { kind: 'malformed', reason } }
        }
        if (fault) return malformed(fault)
        if (status !== 200) return malformed(`unexpected_status_${status}`)
        if (!last) return malformed('receipt_without_end')
        if ('status' in last) return { ok: false, failure: refusal(last.status, null, false) ?? { kind: 'malformed', reason: `unexpected_status_${last.status}` } }
        if (last.done.photos !== sha256s.length || receipt.stored !== sha256s.length) return malformed('wrong_photos')
        return { ok: true, value: { created } }
      },
    }
  }

  return {
    async putPhoto(sha256, jpeg) {
      const outcome = await call(`/v1/photos/${sha256}`, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: jpeg }, PhotoAnswer, [200, 201])
      if (!outcome.ok) return outcome
      if (outcome.value.body.sha256 !== sha256) return { ok: false, failure: { kind: 'malformed', reason: 'wrong_photo' } }
      return { ok: true, value: { created: outcome.value.status === 201 } }
    },

    async putPhotoPack(pack, receipt = { streamed: false, stored: 0 }, pacing) {
      const reader = receiptReader(pack.sha256s, receipt)
      const outcome = await exchange(
        PHOTO_PACK_PATH,
        {
          method: 'POST',
          // The streamed receipt if central has it; an older central answers the whole pack at its end.
          headers: { 'content-type': PHOTO_PACK_MEDIA_TYPE, accept: `${RECEIPT_MEDIA_TYPE}, application/json;q=0.5` },
          body: pacing ? pacedBody(pack.body, pacing, receipt) : pack.body,
          onLine: reader.line,
        },
        { unsupported: true },
      )
      if (!outcome.ok) return outcome
      if (mediaType(outcome.value.header('content-type')) === RECEIPT_MEDIA_TYPE) return reader.end(outcome.value.status)
      const answer = readJson(outcome.value, PhotoPackAnswer, [200])
      if (!answer.ok) return answer
      // Central must account for every frame we sent, in order; anything else is not an answer to this pack.
      const got = answer.value.body.photos
      if (got.length !== pack.sha256s.length || got.some((p, i) => p.sha256 !== pack.sha256s[i])) {
        return { ok: false, failure: { kind: 'malformed', reason: 'wrong_photos' } }
      }
      return { ok: true, value: { created: got.filter((p) => p.created).length } }
    },

    async photosHeld(sha256s, options = {}) {
      const body = Buffer.from(JSON.stringify({ sha256s }))
      const path = options.partial ? `${PHOTOS_HELD_PATH}?partial=true` : PHOTOS_HELD_PATH
      const outcome = await call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, PhotosHeldAnswer, [200], { unsupported: true })
      if (!outcome.ok) return outcome
      // Only what was asked counts: a hash we did not ask about is not an answer to this question, nor is a photo
      // said to be held both whole and in part.
      const asked = new Set(sha256s)
      const held = new Set(outcome.value.body.held)
      const partial = new Map((options.partial ? (outcome.value.body.partial ?? []) : []).map((p) => [p.sha256, p.bytes]))
      if ([...held, ...partial.keys()].some((sha256) => !asked.has(sha256)) || [...partial.keys()].some((sha256) => held.has(sha256))) {
        return { ok: false, failure: { kind: 'malformed', reason: 'wrong_photos' } }
      }
      return { ok: true, value: { held, partial } }
    },

    async postBatch(batch) {
      const gzipped = await gzip(Buffer.from(JSON.stringify({ postId: batch.postId, batchId: batch.batchId, records: batch.records })))
      return this.postEncodedBatch({ batchId: batch.batchId, recordIds: batch.records.map((r) => r.id), gzipped })
    },

    async postEncodedBatch(batch) {
      const outcome = await call(
        '/v1/registrations:batch',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'idempotency-key': batch.batchId },
          body: batch.gzipped,
        },
        BatchAnswer,
        [200],
      )
      if (!outcome.ok) return outcome
      const answer = outcome.value.body
      // An answer for another batch, or one that does not account for exactly our records, is not an answer.
      const sent = [...batch.recordIds].sort()
      const got = answer.results.map((r) => r.id).sort()
      if (answer.batchId !== batch.batchId || sent.length !== got.length || sent.some((id, i) => id !== got[i])) {
        return { ok: false, failure: { kind: 'malformed', reason: 'results_mismatch' } }
      }
      return { ok: true, value: answer }
    },

    async health() {
      const outcome = await call('/v1/health', { method: 'GET' }, HealthAnswer, [200])
      return outcome.ok
    },

    async status(recordId) {
      const outcome = await call(`/v1/registrations/${encodeURIComponent(recordId)}`, { method: 'GET' }, StatusAnswer, [200, 404])
      if (!outcome.ok) return outcome
      return { ok: true, value: outcome.value.status === 404 ? null : outcome.value.body }
    },

    async lookupNik(nik) {
      // In the body, not the path: a NIK has no place in a proxy's access log.
      const body = Buffer.from(JSON.stringify({ nik }))
      const outcome = await call(NIK_LOOKUP_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, NikLookupAnswer, [200], { unsupported: true })
      return outcome.ok ? { ok: true, value: outcome.value.body } : outcome
    },

    async markDuplicate(mark) {
      const body = Buffer.from(JSON.stringify(mark))
      const outcome = await call(DUPLICATES_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, DuplicateMarkAnswer, [200], { unsupported: true })
      if (!outcome.ok) return outcome
      if (outcome.value.body.duplicateId !== mark.duplicateId || outcome.value.body.keptId !== mark.keptId) return { ok: false, failure: { kind: 'malformed', reason: 'wrong_mark' } }
      return { ok: true, value: { recordedAt: outcome.value.body.recordedAt } }
    },
  }
}

/** The pack's frames, each written when `pacing` lets it go; `receipt.sent` counts them as they go. */
function pacedBody(body: Uint8Array, pacing: PackPacing, receipt: PackReceipt): StreamedBody {
  const frames = splitPhotoPack(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  receipt.sent = 0
  return {
    length: body.byteLength,
    chunks: (async function* () {
      for (const { frame } of frames) {
        await pacing.admit(frame.length)
        receipt.sent = (receipt.sent ?? 0) + 1
        yield frame
      }
    })(),
  }
}
