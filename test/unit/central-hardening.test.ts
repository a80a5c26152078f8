import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { heartbeatPath } from '../../main/services/fleet'
import { SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'

/**
 * Issue 17 (low): the reference central answers 401 from the headers without reading the body, caps concurrent
 * connections, and gives small routes a short request timeout while photos and batches keep the long one.
 */

interface Raw {
  socket: Socket
  /** Everything received until the server closed the connection (or `ms` passed). */
  received(ms: number): Promise<{ text: string; closed: boolean }>
}

function raw(url: string, head: string, bodyStart = ''): Promise<Raw> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(head + bodyStart)
      let text = ''
      let closed = false
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')))
      socket.on('error', () => undefined)
      const done = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())))
      resolve({
        socket,
        received: async (ms) => {
          await Promise.race([done, new Promise((r) => setTimeout(r, ms))])
          return { text, closed }
        },
      })
    })
    socket.once('error', reject)
  })
}

const request = (method: string, path: string, headers: Record<string, string>) =>
  `${method} ${path} HTTP/1.1\r\nHost: central\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`

describe('central: hardening', () => {
  it('answers 401 from the headers, without waiting for (or reading) an 8 MB body, and closes', async () => {
    const env = await testCentral()
    const started = Date.now()
    const conn = await raw(
      env.central.url,
      request('POST', '/v1/registrations:batch', { authorization: 'Bearer wrong-token', 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) }),
      '{"postId":',
    )
    const { text, closed } = await conn.received(3000)
    expect(text).toMatch(/^HTTP\/1\.1 401 /)
    expect(text.toLowerCase()).toContain('connection: close')
    expect(closed).toBe(true)
    expect(Date.now() - started).toBeLessThan(2500)
    conn.socket.destroy()
  })

  it('holds at most maxConnections connections; a connection past it is closed at once, and a slot frees when one ends', async () => {
    const env = await testCentral({ limits: { maxConnections: 2 } })
    const idle = () => raw(env.central.url, '')
    const first = await idle()
    const second = await idle()
    await new Promise((r) => setTimeout(r, 50))
    const third = await idle()
    third.socket.write(request('GET', '/v1/health', {}))
    expect(await third.received(1000)).toEqual({ text: '', closed: true })
    first.socket.destroy()
    await new Promise((r) => setTimeout(r, 50))
    expect((await fetch(`${env.central.url}/v1/health`, { headers: { connection: 'close' } })).status).toBe(200)
    second.socket.destroy()
  })

  it('a small route whose body stops arriving gets 408 after the short timeout; a photo upload keeps the long one', async () => {
    const env = await testCentral({ limits: { shortRequestTimeoutMs: 300 } })
    const auth = { authorization: `Bearer ${SURABAYA.token}` }
    const started = Date.now()
    const beat = await raw(
      env.central.url,
      request('POST', heartbeatPath(SURABAYA.postId), { ...auth, 'content-type': 'application/json', 'content-length': '1000' }),
      '{"version":',
    )
    const photo = await raw(
      env.central.url,
      request('PUT', `/v1/photos/${'a'.repeat(64)}`, { ...auth, 'content-type': 'image/jpeg', 'content-length': '100000' }),
      'abc',
    )
    const answered = await beat.received(3000)
    expect(answered.text).toMatch(/^HTTP\/1\.1 408 /)
    expect(answered.text).toContain('request_timeout')
    expect(answered.closed).toBe(true)
    expect(Date.now() - started).toBeLessThan(2000)
    // The photo's upload is still allowed to be slow: nothing answered, the connection open.
    expect(await photo.received(300)).toEqual({ text: '', closed: false })
    photo.socket.destroy()
    // A heartbeat that arrives in time is not cut short by the timer.
    const ok = await fetch(`${env.central.url}/v1/health`)
    expect(ok.status).toBe(200)
  })
})
