import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { createShapedLink, namespaceSupport } from '../fixtures/link/netns'
import { openSimulatedLink } from '../fixtures/link/simulated-link'

/**
 * The link simulator's kernel half (test/fixtures/link/netns.ts): a namespace behind a veth pair shaped by tbf,
 * and the whole link the bench uses (relay → tbf → proxy in the namespace). Needs root; skips with its reason
 * otherwise. As in link-proxy.test.ts, rates are checked from below only.
 */
const support = namespaceSupport()

/**
 * A TCP server in its own process (in a namespace, by `wrap`) that echoes or swallows what it gets and answers
 * "<bytes>" when the sender half-closes.
 */
function server(argv: (cmd: string[]) => string[], host: string, mode: 'echo' | 'count'): Promise<{ port: number; child: ChildProcess }> {
  const script = `
    const net = require('node:net')
    const s = net.createServer({ allowHalfOpen: true }, (c) => {
      let n = 0
      c.on('data', (d) => { n += d.length; if (${mode === 'echo'}) c.write(d) })
      c.on('end', () => c.end(${mode === 'echo'} ? undefined : String(n)))
      c.on('error', () => undefined)
    })
    s.listen(0, ${JSON.stringify(host)}, () => console.log('PORT ' + s.address().port))`
  const cmd = argv([process.execPath, '-e', script])
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /PORT (\d+)/.exec(out)
      if (m) resolve({ port: Number(m[1]), child })
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
}

function exchange(host: string, port: number, bytes: Buffer): Promise<{ back: Buffer; outcome: 'end' | 'reset' }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, allowHalfOpen: true })
    const chunks: Buffer[] = []
    let outcome: 'end' | 'reset' = 'end'
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => (outcome = 'reset'))
    socket.on('end', () => socket.end())
    socket.on('close', () => resolve({ back: Buffer.concat(chunks), outcome }))
    socket.end(bytes)
  })
}

const children: ChildProcess[] = []
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const child of children.splice(0)) child.kill()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe.skipIf(!support.ok)(`the link simulator's kernel shaping (tbf in a network namespace)${support.ok ? '' : ` — skipped: ${support.reason}`}`, () => {
  it('carries no more than the rate into the namespace, and counts the packets it let through', async () => {
    const link = createShapedLink({ rateBitsPerSecond: 1_000_000 })
    cleanups.push(() => link.close())
    const { port } = await server(link.inside, link.namespaceAddress, 'count')
    const t0 = performance.now()
    const { back } = await exchange(link.namespaceAddress, port, randomBytes(128 * 1024))
    const elapsedMs = performance.now() - t0
    expect(back.toString()).toBe(String(128 * 1024))
    // tbf's bucket is 4 KiB here, and it counts whole frames: 128 KiB of payload can't arrive in under ~1 s.
    expect(elapsedMs).toBeGreaterThanOrEqual(((128 * 1024 - 4096) / 125_000) * 1000)
    expect(link.wire().up.bytes).toBeGreaterThan(128 * 1024)
    expect(link.wire().down.packets).toBeGreaterThan(0)
  })

  it('the bench\'s whole link: a relay on loopback, tbf, and the proxy in the namespace that delays and cuts', async () => {
    const link = openSimulatedLink({ rateBitsPerSecond: 8_000_000, rttMs: 40, cutEveryBytes: 50_000, shaping: 'kernel' })
    cleanups.push(() => link.close())
    expect(link.shaping).toBe('kernel')
    const { port } = await server(link.place, '127.0.0.1', 'echo')
    const url = new URL(await link.attach(port))
    expect(url.hostname).toBe('127.0.0.1')
    const sent = randomBytes(30_000)
    const first = await exchange(url.hostname, Number(url.port), sent)
    expect(first).toMatchObject({ outcome: 'end' })
    expect(first.back.equals(sent)).toBe(true)
    // 20,000 more bytes reach the mark: the sender on this side of the relay sees the reset.
    expect((await exchange(url.hostname, Number(url.port), randomBytes(40_000))).outcome).toBe('reset')
    const stats = await link.stats()
    expect(stats).toMatchObject({ bytesUp: 50_000, cuts: 1, connections: 2 })
    expect(stats.wire!.up.bytes).toBeGreaterThan(50_000)
  })
})
