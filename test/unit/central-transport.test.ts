import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { MIN_BYTES_PER_SECOND, nodeTransport } from '../../main/services/central/transport'

/** A loopback server that records what it received and answers with `handle`. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  const received: Array<{ method: string; headers: IncomingMessage['headers']; body: Buffer }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      received.push({ method: req.method!, headers: req.headers, body })
      handle(req, res, body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  servers.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`, received }
}

const servers: Array<ReturnType<typeof createServer>> = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

describe('the upload client\'s transport (Node http)', () => {
  it('sends the body whole with its length, and reads the answer whole', async () => {
    const { url, received } = await serve((_req, res, body) => res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7' }).end(`{"got":${body.length}}`))
    const body = Buffer.concat([Buffer.from('head:'), new Uint8Array(100_000).fill(7), Buffer.from(':tail')])
    const answer = await nodeTransport(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer t' }, body, timeoutMs: 5000 })
    expect(answer.status).toBe(201)
    expect(answer.text).toBe('{"got":100010}')
    expect(answer.header('Content-Type')).toBe('application/json')
    expect(answer.header('retry-after')).toBe('7')
    expect(answer.header('x-none')).toBeNull()
    expect(received[0]!.headers).toMatchObject({ 'content-length': '100010', authorization: 'Bearer t' })
    expect(Buffer.compare(received[0]!.body, body)).toBe(0)
  })

  it('a GET carries no body', async () => {
    const { url, received } = await serve((_req, res) => res.end('ok'))
    expect((await nodeTransport(url, { method: 'GET', headers: {}, timeoutMs: 5000 })).text).toBe('ok')
    expect(received[0]).toMatchObject({ method: 'GET', body: Buffer.alloc(0) })
    expect(received[0]!.headers['content-length']).toBeUndefined()
  })

  it('an answer cut short (fewer bytes than its Content-Length) rejects, never resolves', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"batchId":')
      setTimeout(() => res.socket?.destroy(), 20)
    })
    await expect(nodeTransport(url, { method: 'POST', headers: {}, body: Buffer.from('{}'), timeoutMs: 5000 })).rejects.toThrow()
  })

  it('a connection dropped before any answer rejects', async () => {
    const { url } = await serve((req) => req.socket.destroy())
    await expect(nodeTransport(url, { method: 'POST', headers: {}, body: Buffer.from('{}'), timeoutMs: 5000 })).rejects.toThrow()
  })

  it('a server that does not answer in time rejects with a TimeoutError', async () => {
    const { url } = await serve(() => undefined)
    await expect(nodeTransport(url, { method: 'GET', headers: {}, timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('a request with a body gets time for it: its deadline grows by the body at the slowest uplink allowed', async () => {
    const { url } = await serve((_req, res) => setTimeout(() => res.end('late'), 700))
    // 16 KiB at 8 KiB/s is 2 s more than the 200 ms an answer gets: a photo pack on a slow link is not cut off.
    const body = new Uint8Array(2 * MIN_BYTES_PER_SECOND)
    expect((await nodeTransport(url, { method: 'POST', headers: {}, body, timeoutMs: 200 })).text).toBe('late')
    await expect(nodeTransport(url, { method: 'GET', headers: {}, timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('stops sending a body once the answer is whole (central refused before reading it): the rest never crosses the link', async () => {
    // Answers 503 on the request's head, then counts what still arrives of the body.
    let arrived = 0
    const server = createServer((req, res) => {
      req.on('data', (c: Buffer) => (arrived += c.length))
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable"}}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    servers.push(server)
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`
    let taken = 0
    let later!: () => void
    const held = new Promise<void>((r) => (later = r))
    const chunks = (async function* () {
      taken++
      yield new Uint8Array(1_000)
      // The rest of the body waits (as a paced photo pack's next frame does) until the answer is in.
      await held
      for (let i = 0; i < 10; i++) {
        taken++
        yield new Uint8Array(100_000)
      }
    })()
    const answer = await nodeTransport(url, { method: 'POST', headers: {}, body: { length: 1_001_000, chunks }, timeoutMs: 5000 })
    expect(answer.status).toBe(503)
    later()
    await new Promise((r) => setTimeout(r, 100))
    // The chunk the generator was already making may be taken; none is written, and none after it is made.
    expect(taken).toBeLessThanOrEqual(2)
    expect(arrived).toBeLessThan(100_000)
  })

  it('a redirect is an answer, not followed', async () => {
    const { url, received } = await serve((_req, res) => res.writeHead(302, { location: '/login' }).end())
    const answer = await nodeTransport(url, { method: 'GET', headers: {}, timeoutMs: 5000 })
    expect(answer.status).toBe(302)
    expect(received).toHaveLength(1)
  })

  it('lets a free connection go at half the idle limit its server announced, so it is never reused just before the server closes it', async () => {
    const connections: number[] = []
    let delay = 0
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), delay))
    })
    // Node announces `Keep-Alive: timeout=4`.
    server.keepAliveTimeout = 4000
    server.on('connection', (socket) => connections.push(socket.remotePort!))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    servers.push(server)
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`
    const get = () => nodeTransport(url, { method: 'GET', headers: {}, timeoutMs: 10_000 })
    await get()
    await get()
    // Reused while fresh.
    expect(connections).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 2500))
    // Past half the limit (2 s), under the server's 4 s: a new connection, not the one the server is about to close.
    await get()
    expect(connections).toHaveLength(2)
    // A reused connection waiting longer than that for its answer is not given up.
    delay = 2500
    expect((await get()).status).toBe(200)
    expect(connections).toHaveLength(2)
  })

  it('refuses a URL that is not http or https', async () => {
    await expect(nodeTransport('ftp://127.0.0.1/v1/x', { method: 'GET', headers: {}, timeoutMs: 1000 })).rejects.toThrow(/unsupported protocol/)
  })
})
