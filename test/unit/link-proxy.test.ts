import { randomBytes } from 'node:crypto'
import type { AddressInfo, Server, Socket } from 'node:net'
import { connect, createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeTransport } from '../../main/services/central/transport'
import { startTestCentral } from '../central/testkit'
import type { LinkOptions, LinkProxy } from '../fixtures/link/proxy'
import { startLinkProxy } from '../fixtures/link/proxy'

/**
 * The link simulator's userspace proxy (test/fixtures/link). Nothing here asserts that something is fast: rates and
 * delays are checked from below only (a link never delivers sooner or more than it may), which a loaded machine
 * cannot break; the figures at speed belong to `npm run bench -- links`.
 */

interface Received {
  bytes: number
  /** How the connection ended at the server: 'end' (a FIN after the last byte) or 'reset'. */
  ended: Promise<'end' | 'reset'>
}

/** A TCP server that echoes (or only counts) what each connection sends it. */
async function target(mode: 'echo' | 'count'): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = []
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const entry: Received = {
      bytes: 0,
      ended: new Promise((resolve) => {
        socket.on('end', () => {
          resolve('end')
          socket.end()
        })
        socket.on('error', () => resolve('reset'))
      }),
    }
    received.push(entry)
    socket.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length
      if (mode === 'echo') socket.write(chunk)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { port: (server.address() as AddressInfo).port, received }
}

const servers: Server[] = []
const proxies: LinkProxy[] = []
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close()
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

async function link(port: number, options: Omit<LinkOptions, 'target'> = {}): Promise<LinkProxy> {
  const proxy = await startLinkProxy({ target: { host: '127.0.0.1', port }, ...options })
  proxies.push(proxy)
  return proxy
}

/** Sends `bytes` over a fresh connection, half-closes, and collects what comes back until the connection ends. */
function exchange(port: number, bytes: Buffer): Promise<{ back: Buffer; outcome: 'end' | 'reset' }> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    const chunks: Buffer[] = []
    let outcome: 'end' | 'reset' = 'end'
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => (outcome = 'reset'))
    socket.on('end', () => socket.end())
    socket.on('close', () => resolve({ back: Buffer.concat(chunks), outcome }))
    socket.end(bytes)
  })
}

describe('the link simulator\'s proxy (test/fixtures/link/proxy.ts)', () => {
  it('carries bytes both ways unchanged, and counts them', async () => {
    const server = await target('echo')
    const proxy = await link(server.port, { latencyMs: 5, jitterMs: 5 })
    const sent = randomBytes(300_000)
    const { back, outcome } = await exchange(proxy.port, sent)
    expect(outcome).toBe('end')
    expect(back.equals(sent)).toBe(true)
    expect(proxy.stats()).toMatchObject({ bytesUp: 300_000, bytesDown: 300_000, cuts: 0, connections: 1, losses: 0 })
    const { firstUpAt, lastUpAt } = proxy.stats()
    expect(firstUpAt).not.toBeNull()
    expect(lastUpAt).toBeGreaterThanOrEqual(firstUpAt!)
  })

  it('cuts the link after exactly N client→server bytes, every N bytes counted over all its connections', async () => {
    const server = await target('count')
    const proxy = await link(server.port, { cutEveryBytes: 10_000 })
    // One connection crosses the mark: central gets the bytes up to it, the sender a reset.
    expect((await exchange(proxy.port, randomBytes(25_000))).outcome).toBe('reset')
    expect(await server.received[0]!.ended).toBe('end')
    expect(server.received[0]!.bytes).toBe(10_000)
    expect(proxy.stats()).toMatchObject({ bytesUp: 10_000, cuts: 1 })
    // The count starts again after a cut, and runs over connections: 6,000 pass, the next 6,000 cross the mark.
    expect((await exchange(proxy.port, randomBytes(6_000))).outcome).toBe('end')
    expect((await exchange(proxy.port, randomBytes(6_000))).outcome).toBe('reset')
    await server.received[2]!.ended
    expect(server.received.slice(1).map((r) => r.bytes)).toEqual([6_000, 4_000])
    expect(proxy.stats()).toMatchObject({ bytesUp: 20_000, cuts: 2, connections: 3 })
    // No more cuts.
    proxy.setCut(null)
    expect((await exchange(proxy.port, randomBytes(25_000))).outcome).toBe('end')
    await server.received[3]!.ended
    expect(server.received[3]!.bytes).toBe(25_000)
    // A new mark counts from when it is set.
    proxy.setCut(1_000)
    expect((await exchange(proxy.port, randomBytes(1_500))).outcome).toBe('reset')
    await server.received[4]!.ended
    expect(server.received[4]!.bytes).toBe(1_000)
    expect(proxy.stats()).toMatchObject({ bytesUp: 46_000, cuts: 3, connections: 5, open: 0 })
  })

  it('a cut resets every connection open over the link, and the link may stay down a while', async () => {
    const server = await target('echo')
    const proxy = await link(server.port, { downAfterCutMs: 60_000 })
    const idle = connect({ host: '127.0.0.1', port: proxy.port })
    const idleClosed = new Promise<boolean>((resolve) => {
      idle.on('error', () => undefined)
      idle.on('close', (hadError) => resolve(hadError))
    })
    await new Promise((resolve) => idle.once('connect', resolve))
    await new Promise<void>((resolve) => idle.write('x', () => resolve()))
    while (proxy.stats().bytesUp < 1) await new Promise((resolve) => setTimeout(resolve, 5))
    proxy.cutNow()
    expect(await idleClosed).toBe(true)
    expect(await server.received[0]!.ended).toBe('reset')
    // While the link is down, a new connection is reset at once, and never reaches the far end.
    expect((await exchange(proxy.port, Buffer.from('hello'))).outcome).toBe('reset')
    expect(server.received).toHaveLength(1)
    expect(proxy.stats()).toMatchObject({ cuts: 1, connections: 1, open: 0 })
  })

  it('never delivers more than its burst plus rate × time, with the rate shared by every connection', async () => {
    const server = await target('count')
    const rateBitsPerSecond = 1_000_000
    const proxy = await link(server.port, { rateBitsPerSecond })
    const t0 = performance.now()
    await Promise.all([exchange(proxy.port, randomBytes(60_000)), exchange(proxy.port, randomBytes(60_000))])
    await Promise.all(server.received.map((r) => r.ended))
    const elapsedMs = performance.now() - t0
    expect(server.received.map((r) => r.bytes)).toEqual([60_000, 60_000])
    // The bucket holds ~50 ms of the link: 120 kB at 125 kB/s can't take less than ~0.9 s, however fast the machine.
    const burst = 0.05 * (rateBitsPerSecond / 8)
    expect(elapsedMs).toBeGreaterThanOrEqual(((120_000 - burst) / (rateBitsPerSecond / 8)) * 1000)
    expect(proxy.stats().bytesUp).toBe(120_000)
  })

  it('delays each direction: a round trip takes at least twice the one-way delay', async () => {
    const server = await target('echo')
    const proxy = await link(server.port, { latencyMs: 60, jitterMs: 20 })
    const socket = connect({ host: '127.0.0.1', port: proxy.port })
    await new Promise((resolve) => socket.once('connect', resolve))
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      socket.write('ping')
      await new Promise((resolve) => socket.once('data', resolve))
      expect(performance.now() - t0).toBeGreaterThanOrEqual(120 - 1)
    }
    socket.destroy()
  })

  it('losses stall a connection but never corrupt or reorder its bytes', async () => {
    const server = await target('echo')
    const proxy = await link(server.port, { lossRate: 0.05, stallMs: 150, jitterMs: 3, rateBitsPerSecond: 50_000_000, seed: 7 })
    const sent = randomBytes(200_000)
    const t0 = performance.now()
    const { back } = await exchange(proxy.port, sent)
    expect(back.equals(sent)).toBe(true)
    expect(proxy.stats().losses).toBeGreaterThan(0)
    // At least one stall lay between the first byte sent and the last echoed.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150)
  })

  it('carries the kiosk\'s HTTP to the reference central, and a cut breaks the exchange under way', async () => {
    const central = await startTestCentral()
    try {
      const port = Number(new URL(central.central.url).port)
      const proxy = await link(port, { latencyMs: 10, cutEveryBytes: 50_000 })
      const health = await nodeTransport(`${proxy.url}/v1/health`, { method: 'GET', headers: {}, timeoutMs: 5000 })
      expect(health.status).toBe(200)
      const body = randomBytes(100_000)
      await expect(nodeTransport(`${proxy.url}/v1/photos:batch`, { method: 'POST', headers: {}, body, timeoutMs: 5000 })).rejects.toThrow()
      expect(proxy.stats().cuts).toBe(1)
      expect(proxy.stats().bytesDown).toBeGreaterThan(0)
    } finally {
      await central.dispose()
    }
  })
})
