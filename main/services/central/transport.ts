import { request as httpRequest } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { ResponseTooLargeError } from './read-capped'

/** A request to central, as the client builds it. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT'
  headers: Record<string, string>
  body?: Uint8Array
  /** For the answer; the request's deadline is this plus the time its body takes at MIN_BYTES_PER_SECOND. */
  timeoutMs: number
  /** Default MAX_ANSWER_BYTES. */
  maxResponseBytes?: number
}

/**
 * The slowest uplink an upload is given time for (64 kbit/s, a poor 2G/EDGE link at a remote post): a 4 MiB photo
 * pack gets ~9 minutes, not the 30 s an answer gets. (An idle timer can't stand in: once the body sits in the
 * kernel's send buffer, Node sees no activity while a slow link drains megabytes.)
 */
export const MIN_BYTES_PER_SECOND = 8 * 1024

/**
 * The most of an answer the uploader reads (then the exchange fails with ResponseTooLargeError). The largest
 * legitimate answer is a batch's: 500 results; an accepted one is ~80 bytes (40 KB in all), a rejected one carries
 * field errors (messages ≤ 200 characters, wire.ts), so even 500 records × 20 errors × 200 bytes stays under 2 MiB;
 * a photo pack's answer is ~110 bytes a photo, 1000 photos at most (~110 KB). 4 MiB is twice the worst case, and
 * small enough that a hostile or broken answer can't take the kiosk's memory.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

/** Central's answer, read whole. Anything short of that (reset, cut-short body, timeout) rejects instead. */
export interface TransportResponse {
  status: number
  header(name: string): string | null
  text: string
}

/** One HTTP exchange; rejects with a TimeoutError on timeout and any other error when the exchange broke. */
export type Transport = (url: string, request: TransportRequest) => Promise<TransportResponse>

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
    const bodyBytes = req.body?.byteLength ?? 0
    const signal = AbortSignal.timeout(req.timeoutMs + Math.ceil((bodyBytes / MIN_BYTES_PER_SECOND) * 1000))
    const headers: Record<string, string> = { ...req.headers }
    if (req.body !== undefined) headers['content-length'] = String(bodyBytes)
    const cap = req.maxResponseBytes ?? MAX_ANSWER_BYTES
    const outgoing = send(target, { method: req.method, headers, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      let tooLarge = Number(res.headers['content-length']) > cap
      // Stop reading at the cap: destroying the response ends the exchange ('close' below rejects for it).
      if (tooLarge) res.destroy()
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > cap) {
          tooLarge = true
          res.destroy()
          return
        }
        chunks.push(chunk)
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
      })
      // A broken response also emits 'error'; 'close' above already rejects for it.
      res.on('error', () => undefined)
    })
    // Aborted by the timeout, the error is an AbortError whose cause is the TimeoutError: report the timeout.
    outgoing.on('error', (error) => reject(signal.aborted ? signal.reason : error))
    outgoing.end(req.body)
  })
