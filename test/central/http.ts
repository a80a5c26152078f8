import type { IncomingMessage, ServerResponse } from 'node:http'
import { mediaType } from '../../main/services/central/transport'

/** The kiosk's own parser ("application/json; charset=utf-8" → "application/json"), so both ends read a Content-Type alike. */
export { mediaType }

/** Every error answer has this body, so a client can branch on `code` without reading English. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string | number | boolean> }
}

export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string | number | boolean>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}

/** What a route hands back; the server turns it into bytes (and applies delivery faults on the way out). */
export interface Reply {
  status: number
  /** Already-serialised bytes are sent as they are: idempotent replays must be byte-identical. */
  body: Buffer
  contentType: string
  headers?: Record<string, string>
  /** The route answered itself, line by line (RouteContext.stream): there is nothing left to send. */
  streamed?: true
}

/** What a route that streams its answer returns once it has ended (or dropped) the stream. */
export const STREAMED: Reply = { status: 200, body: Buffer.alloc(0), contentType: '', streamed: true }

/** A 200 answer of JSON lines, its head sent at once so the client reads each line as it is written. */
export interface LineStream {
  line(value: unknown): void
  /** Ends the answer, after a last line if given. */
  end(value?: unknown): void
  /** Closes the connection without ending the answer (a drop-after fault: the client never hears the end). */
  drop(): void
}

export function openLineStream(res: ServerResponse, contentType: string): LineStream {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
  res.flushHeaders()
  const open = () => !res.destroyed && !res.writableEnded
  return {
    line: (value) => {
      if (open()) res.write(`${JSON.stringify(value)}\n`)
    },
    end: (value) => {
      if (open()) res.end(value === undefined ? undefined : `${JSON.stringify(value)}\n`)
    },
    drop: () => {
      res.destroy()
    },
  }
}

/** Whether the Accept header names this media type (quality values are not weighed: named is asked for). */
export function accepts(header: string | undefined, type: string): boolean {
  return (header ?? '').split(',').some((part) => mediaType(part) === type)
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, body: Buffer.from(JSON.stringify(value)), contentType: 'application/json; charset=utf-8', headers }
}

export function errorReply(error: HttpError): Reply {
  return jsonReply(error.status, error.body(), error.headers)
}

/** How far past a limit the server keeps reading (and discarding) a body so the client still gets its 413. */
export const DRAIN_FACTOR = 4

/**
 * Reads a request body up to `limit` bytes. Past the limit it keeps reading and discarding (up to `drainLimit`)
 * rather than closing at once, because a client still uploading when the socket closes sees a reset instead of
 * the 413 that tells it to split the batch.
 */
export async function readBody(req: IncomingMessage, limit: number, code: string, drainLimit = limit * DRAIN_FACTOR): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > drainLimit) {
    throw new HttpError(413, code, `body of ${declared} bytes is over the limit of ${limit}`, { limit }, { connection: 'close' })
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > drainLimit) throw new HttpError(413, code, `body is over the limit of ${limit} bytes`, { limit }, { connection: 'close' })
    if (size <= limit) chunks.push(buf)
  }
  if (size > limit) throw new HttpError(413, code, `body of ${size} bytes is over the limit of ${limit}`, { limit })
  return Buffer.concat(chunks, size)
}

