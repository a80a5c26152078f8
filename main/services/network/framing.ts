import type { Duplex } from 'node:stream'

/**
 * Frames on the peer channel: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. Length-prefixed JSON
 * rather than HTTP/1.1 over the TLS socket: a peer conversation is a handful of request/answer pairs, and with a
 * length first the cap is enforced before a byte of the body is buffered (a 50 MB page is refused at its first four
 * bytes), there is no header parser, chunked encoding or keep-alive state to get wrong, and a deadline per frame
 * cuts off a peer that trickles forever. Every way a frame can be wrong is a typed FrameError; the socket is
 * destroyed with it, so nothing read after it is ever acted on.
 */
export const FRAME_HEADER_BYTES = 4

export type FrameErrorCode = 'frame_too_large' | 'frame_timeout' | 'idle_timeout' | 'bad_frame' | 'closed'

export class FrameError extends Error {
  constructor(
    readonly code: FrameErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'FrameError'
  }
}

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8')
  const head = Buffer.alloc(FRAME_HEADER_BYTES)
  head.writeUInt32BE(body.length, 0)
  return Buffer.concat([head, body])
}

export interface FrameReader {
  /** The next whole frame, parsed; rejects with a FrameError (and the socket is destroyed) when it can't be. */
  next(timeoutMs: number): Promise<unknown>
}

/**
 * Reads frames off a socket, at most `maxFrameBytes` each. The socket is paused while a frame waits for a reader,
 * so a peer that floods frames fills its own send buffer, not this kiosk's memory.
 */
export function createFrameReader(socket: Duplex, maxFrameBytes: number): FrameReader {
  let chunks: Buffer[] = []
  let buffered = 0
  let failure: FrameError | null = null
  const ready: unknown[] = []
  let waiter: { resolve: (v: unknown) => void; reject: (e: FrameError) => void; timer: NodeJS.Timeout } | null = null

  function fail(error: FrameError): void {
    if (failure) return
    failure = error
    chunks = []
    buffered = 0
    if (waiter) {
      clearTimeout(waiter.timer)
      waiter.reject(error)
      waiter = null
    }
    socket.destroy()
  }

  function parse(): void {
    while (!failure && buffered >= FRAME_HEADER_BYTES) {
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      chunks = [all]
      const length = all.readUInt32BE(0)
      if (length > maxFrameBytes) return fail(new FrameError('frame_too_large', `frame of ${length} bytes; at most ${maxFrameBytes}`))
      if (all.length < FRAME_HEADER_BYTES + length) return
      const body = all.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length)
      const rest = all.subarray(FRAME_HEADER_BYTES + length)
      chunks = rest.length > 0 ? [Buffer.from(rest)] : []
      buffered = rest.length
      let value: unknown
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
      } catch {
        return fail(new FrameError('bad_frame', 'frame is not UTF-8 JSON'))
      }
      deliver(value)
    }
  }

  function deliver(value: unknown): void {
    if (waiter) {
      clearTimeout(waiter.timer)
      waiter.resolve(value)
      waiter = null
    } else {
      ready.push(value)
      socket.pause()
    }
  }

  socket.on('data', (chunk: Buffer) => {
    if (failure) return
    chunks.push(chunk)
    buffered += chunk.length
    parse()
  })
  socket.on('close', () => fail(new FrameError('closed', 'the peer closed the connection')))
  socket.on('error', () => fail(new FrameError('closed', 'the connection failed')))

  return {
    next(timeoutMs) {
      if (ready.length > 0) {
        const value = ready.shift()
        if (ready.length === 0) socket.resume()
        return Promise.resolve(value)
      }
      if (failure) return Promise.reject(failure)
      if (waiter) return Promise.reject(new FrameError('bad_frame', 'one reader at a time'))
      socket.resume()
      return new Promise((resolve, reject) => {
        // Part of a frame and then silence (or a trickle) is a peer holding the line; nothing at all is only idle.
        const timer = setTimeout(
          () => fail(buffered > 0 ? new FrameError('frame_timeout', `no whole frame within ${timeoutMs} ms`) : new FrameError('idle_timeout', `nothing within ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiter = { resolve, reject, timer }
      })
    },
  }
}
