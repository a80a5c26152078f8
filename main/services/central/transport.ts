import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import type { ClientRequest, IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Duplex } from 'node:stream'
import { RECEIPT_MEDIA_TYPE } from './photo-pack'
import { ResponseTooLargeError } from './read-capped'

/** A request to central, as the client builds it. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT'
  headers: Record<string, string>
  body?: Uint8Array | StreamedBody
  /** For the answer; the request's deadline is this plus the time its body takes at MIN_BYTES_PER_SECOND. */
  timeoutMs: number
  /** The whole exchange's deadline instead of the one above (a bundle import gives up after a fixed while). */
  deadlineMs?: number
  /** Default MAX_ANSWER_BYTES. */
  maxResponseBytes?: number
  /**
   * Each line of an answer that is a stream of lines (RECEIPT_MEDIA_TYPE) as it arrives, while the body may still be
   * going up: a photo pack's receipt. Called before the exchange ends, and also when it then breaks (a cut); the
   * answer is read whole (and capped) for `text` as well.
   */
  onLine?: (line: string) => void
}

/**
 * The slowest uplink an upload is given time for (64 kbit/s, a poor 2G/EDGE link at a remote post): a 4 MiB photo
 * pack gets ~9 minutes, not the 30 s an answer gets. (An idle timer can't stand in: once the body sits in the
 * kernel's send buffer, Node sees no activity while a slow link drains megabytes.)
 */
export const MIN_BYTES_PER_SECOND = 8 * 1024

/**
 * A request's deadline: `timeoutMs` for the answer plus its body at MIN_BYTES_PER_SECOND. The uploader sizes its
 * photo packs to the measured link (upload/pack-sizer.ts, ~8 s each): such a pack misses this deadline only if the
 * link falls, mid-pack, under 64 kbit/s and under about a quarter of the rate measured (30 s covers 8 s four times).
 */
export function requestDeadlineMs(bodyBytes: number, timeoutMs: number): number {
  return timeoutMs + Math.ceil((bodyBytes / MIN_BYTES_PER_SECOND) * 1000)
}

/**
 * The most of an answer the uploader reads (then the exchange fails with ResponseTooLargeError). The largest
 * legitimate answer is a batch's: 500 results; an accepted one is ~80 bytes (40 KB in all), a rejected one carries
 * field errors (messages ≤ 200 characters, wire.ts), so even 500 records × 20 errors × 200 bytes stays under 2 MiB;
 * a photo pack's answer is ~110 bytes a photo, 1000 photos at most (~110 KB). 4 MiB is twice the worst case, and
 * small enough that a hostile or broken answer can't take the kiosk's memory.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

/**
 * A body too big to hold (an offline bundle): its length, sent as Content-Length, and its bytes, read only as fast
 * as the socket takes them.
 */
export interface StreamedBody {
  length: number
  chunks: AsyncIterable<Uint8Array>
}

const isStreamed = (body: TransportRequest['body']): body is StreamedBody => body !== undefined && !(body instanceof Uint8Array)

/** Central's answer, read whole. Anything short of that (reset, cut-short body, timeout) rejects instead. */
export interface TransportResponse {
  status: number
  header(name: string): string | null
  text: string
}

/** One HTTP exchange; rejects with a TimeoutError on timeout and any other error when the exchange broke. */
export type Transport = (url: string, request: TransportRequest) => Promise<TransportResponse>

/** The idle limit (seconds) each connection's server announced in its last answer (`Keep-Alive: timeout=N`). */
const idleLimits = new WeakMap<Duplex, number>()

/**
 * Keep-alive that lets a free connection go at half the idle limit its server announced. Node 20's agent applies the
 * announcement only when an agent timeout is set, so a free connection lived until the server closed it, and one
 * reused just before then met a reset mid-request: on a slow link the request's head can wait seconds behind the
 * link's queue before it reaches the server (a server with Node's 5 s; design notes, session 10). Half, not Node's
 * "one second less": that wait is the link's, not a constant. A server that announces nothing closes when it likes.
 */
function halfTheLimit(socket: Duplex, kept: unknown): void {
  const limit = idleLimits.get(socket)
  if (kept !== false && limit !== undefined) (socket as Duplex & { setTimeout(ms: number): void }).setTimeout(limit * 500)
  // Node reads the answer (false: do not keep it); @types/node declares void.
  return kept as void
}
class HttpKeepAlive extends HttpAgent {
  override keepSocketAlive(socket: Duplex): void {
    return halfTheLimit(socket, super.keepSocketAlive(socket))
  }
}
class HttpsKeepAlive extends HttpsAgent {
  override keepSocketAlive(socket: Duplex): void {
    return halfTheLimit(socket, super.keepSocketAlive(socket))
  }
}
const agents = { http: new HttpKeepAlive({ keepAlive: true }), https: new HttpsKeepAlive({ keepAlive: true }) }

/**
 * Node's http/https client: the body goes to the socket as it is. fetch copies every request body first
 * (the Fetch standard's "extract a body"), which for the upload's hundreds of MB of photos cost as much CPU and
 * garbage as decrypting them. Redirects are not followed: a 3xx is an answer, and not one the client accepts.
 */
export const nodeTransport: Transport = (url, req) =>
  new Promise((resolve, reject) => {
    const target = new URL(url)
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : null
    if (!send) return reject(new TypeError(`unsupported protocol ${target.protocol}`))
    const bodyBytes = isStreamed(req.body) ? req.body.length : (req.body?.byteLength ?? 0)
    const signal = AbortSignal.timeout(req.deadlineMs ?? requestDeadlineMs(bodyBytes, req.timeoutMs))
    const headers: Record<string, string> = { ...req.headers }
    if (req.body !== undefined) headers['content-length'] = String(bodyBytes)
    const cap = req.maxResponseBytes ?? MAX_ANSWER_BYTES
    const agent = target.protocol === 'https:' ? agents.https : agents.http
    const outgoing = send(target, { method: req.method, headers, signal, agent }, (res: IncomingMessage) => {
      const limit = /^\s*timeout=(\d+)/i.exec(String(res.headers['keep-alive'] ?? ''))
      if (limit) idleLimits.set(res.socket, Number(limit[1]))
      const chunks: Buffer[] = []
      let size = 0
      let tooLarge = Number(res.headers['content-length']) > cap
      // Stop reading at the cap: destroying the response ends the exchange ('close' below rejects for it).
      if (tooLarge) res.destroy()
      const lines = req.onLine && mediaType(res.headers['content-type']) === RECEIPT_MEDIA_TYPE ? lineSplitter(req.onLine) : null
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > cap) {
          tooLarge = true
          res.destroy()
          return
        }
        chunks.push(chunk)
        lines?.(chunk)
      })
      // 'close' comes after 'end', or instead of it when the connection broke mid-body: only a complete body counts.
      res.on('close', () => {
        if (tooLarge) return reject(new ResponseTooLargeError(cap))
        if (!res.complete) return reject(signal.aborted ? signal.reason : new Error('response cut short'))
        const value = (name: string) => {
          const v = res.headers[name.toLowerCase()]
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v
        }
        resolve({ status: res.statusCode ?? 0, header: value, text: Buffer.concat(chunks).toString('utf8') })
        // Central answered before it had the whole body (an error it did not read the body for): the rest would cross
        // the link for nothing (a whole photo pack on a slow one), and the connection cannot carry another request
        // until it has (HTTP/1.1, RFC 9112: a client that sees a final answer while it sends the body stops sending).
        if (!outgoing.writableFinished) outgoing.destroy()
      })
      // A broken response also emits 'error'; 'close' above already rejects for it.
      res.on('error', () => undefined)
    })
    // Aborted by the timeout, the error is an AbortError whose cause is the TimeoutError: report the timeout.
    outgoing.on('error', (error) => reject(signal.aborted ? signal.reason : error))
    if (isStreamed(req.body)) void pump(req.body.chunks, outgoing).catch((error: unknown) => outgoing.destroy(error as Error))
    else outgoing.end(req.body)
  })

/** A Content-Type's media type without parameters, lower case. */
export const mediaType = (header: string | null | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase()

/** Chunks in, complete non-empty lines out (a line's bytes may arrive over several chunks). */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let partial: Buffer = Buffer.alloc(0)
  return (chunk) => {
    let bytes = partial.length > 0 ? Buffer.concat([partial, chunk]) : chunk
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a)) {
      const line = bytes.subarray(0, newline).toString('utf8').trim()
      bytes = bytes.subarray(newline + 1)
      if (line.length > 0) onLine(line)
    }
    partial = Buffer.from(bytes)
  }
}

/** Writes the chunks as the socket drains (no more than its buffer ahead of the wire), then ends the request. */
async function pump(chunks: AsyncIterable<Uint8Array>, outgoing: ClientRequest): Promise<void> {
  for await (const chunk of chunks) {
    if (outgoing.destroyed) return
    if (!outgoing.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          outgoing.off('drain', done)
          outgoing.off('close', done)
          resolve()
        }
        outgoing.once('drain', done)
        outgoing.once('close', done)
      })
    }
  }
  if (!outgoing.destroyed) outgoing.end()
}
