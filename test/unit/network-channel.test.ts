import { connect } from 'node:tls'
import { X509Certificate } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import type { PeerConnection } from '../../main/services/network/channel'
import { ChannelError, connectToPeer, PeerRequestError, startPeerServer } from '../../main/services/network/channel'
import { encodeFrame } from '../../main/services/network/framing'
import { createTlsIdentity } from '../../main/services/security/tls-identity'
import { runCentralCommand } from '../central/commands'
import { MALANG, SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, enrolDesk, postDesks } from './network-kit'

/**
 * Issue 21.2: mutual TLS 1.3 between the desks of a post, pinned to central's roster. Real kiosks enrolled to the
 * reference central, real TLS on loopback; the misbehaving peers are real TLS clients and servers built from real
 * identities.
 */
const echo = async (method: string, params: unknown) => {
  if (method === 'echo') return params
  throw new PeerRequestError('unknown_method')
}

async function serve(desk: Desk, limits?: Parameters<typeof channelDeps>[1]) {
  const deps = channelDeps(desk, limits)
  const server = await startPeerServer(deps, echo, { host: '127.0.0.1', port: 0 })
  return { deps, server, target: { host: '127.0.0.1', port: server.port, source: 'config' as const } }
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof ChannelError)) throw new Error(`expected a ChannelError, got ${String(error)}`)
  return error
}

/** A raw TLS 1.3 client holding `desk`'s real identity: says hello as the channel does, then does what the test says. */
async function rawClient(desk: Desk, port: number) {
  const id = await desk.kiosk.postTrust.identity()
  const socket = connect({
    host: '127.0.0.1',
    port,
    cert: new X509Certificate(id.certificate).toString(),
    key: id.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    minVersion: 'TLSv1.3',
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  })
  socket.on('error', () => undefined)
  await new Promise((resolve) => socket.once('secureConnect', resolve))
  socket.write(encodeFrame({ type: 'hello', v: 1, postId: desk.postId, kioskId: desk.kioskId }))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  // Read (and drop) what the server says, so its closing the connection is seen.
  socket.resume()
  return { socket, closed }
}

describe('the peer channel: mutual TLS 1.3 pinned to the roster', () => {
  it('desks of the post talk; a kiosk of another post, an unknown one and a copied certificate are refused and listed', async () => {
    const { central } = await testCentral()
    const [a, b] = await postDesks(central, SURABAYA.postId, 2)
    const { deps, server, target } = await serve(a!)
    const bDeps = channelDeps(b!)
    const conn: PeerConnection = await connectToPeer(bDeps, target)
    expect(conn.peer).toMatchObject({ kioskId: a!.kioskId, name: 'Meja 1' })
    expect(await conn.request('echo', { n: 1 })).toEqual({ n: 1 })
    expect((await failure(conn.request('nope', null))).code).toBe('remote_error')
    expect(deps.peers.list()).toEqual([expect.objectContaining({ kioskId: b!.kioskId, name: 'Meja 2', state: 'connected', source: 'inbound' })])
    expect(bDeps.peers.list()).toEqual([expect.objectContaining({ kioskId: a!.kioskId, name: 'Meja 1', state: 'connected' })])
    conn.close()
    // B was known to A only by its call: its closed connection is its leaving (A has no link of its own to time out).
    await vi.waitFor(() => expect(deps.peers.list()).toEqual([expect.objectContaining({ kioskId: b!.kioskId, state: 'gone' })]))

    // Another post's desk: both ends refuse, and A's IT sees it as "from another post".
    const m = await enrolDesk(central, MALANG.postId)
    const mDeps = channelDeps(m)
    const fromOther = await failure(connectToPeer(mDeps, target))
    expect([fromOther.code, fromOther.reason]).toEqual(['refused_by_peer', 'other_post'])
    expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'other_post', certSha256: (await m.kiosk.postTrust.identity()).certSha256 }))

    // A desk of the post that A's roster does not list yet: unknown.
    const late = await enrolDesk(central, SURABAYA.postId)
    const unknown = await failure(connectToPeer(channelDeps(late), target))
    expect([unknown.code, unknown.reason]).toEqual(['refused_by_peer', 'unknown'])
    expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'unknown' }))
    // …until A's roster is refreshed.
    expect(await a!.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    const admitted = await connectToPeer(channelDeps(late), target)
    expect(admitted.peer.kioskId).toBe(a!.kioskId)
    admitted.close()

    // B's certificate copied onto a machine with another key: TLS 1.3 makes the holder sign the handshake, so it
    // never gets through, whether OpenSSL refuses the pair outright or the server refuses the signature.
    const stranger = await createTlsIdentity('x', new Date())
    const bCert = new X509Certificate((await b!.kiosk.postTrust.identity()).certificate).toString()
    const tryCopied = () => connect({
      host: '127.0.0.1',
      port: server.port,
      cert: bCert,
      key: stranger.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      minVersion: 'TLSv1.3',
      rejectUnauthorized: false,
    })
    let outcome: string
    try {
      const copied = tryCopied()
      outcome = await new Promise<string>((resolve) => {
        copied.once('secureConnect', () => resolve('connected'))
        copied.once('error', (e) => resolve(`error: ${e.message}`))
      })
      copied.destroy()
    } catch (error) {
      outcome = `threw: ${(error as Error).message}`
    }
    expect(outcome).toMatch(/^(error|threw)/)
    // Nobody got in with the copy: the post's desks A has seen are still exactly B and the late one.
    expect(deps.peers.list().filter((p) => p.kioskId !== null).map((p) => p.kioskId).sort()).toEqual([b!.kioskId, late.kioskId].sort())
    await server.close()
  })

  it('a revocation cuts a desk off at its next request after the roster that carries it', async () => {
    const { central, dataDir } = await testCentral()
    const [a, b] = await postDesks(central, SURABAYA.postId, 2)
    const { deps, server, target } = await serve(a!)
    const conn = await connectToPeer(channelDeps(b!), target)
    expect(await conn.request('echo', 1)).toBe(1)
    expect(await runCentralCommand('revoke', [b!.kioskId, '--data', dataDir], { write: () => 0 }, { write: () => 0 })).toBe(0)
    expect(await conn.request('echo', 2)).toBe(2)
    expect(await a!.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    const cut = await failure(conn.request('echo', 3))
    expect(['refused_by_peer', 'closed', 'refused']).toContain(cut.code)
    expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'revoked' }))
    const again = await failure(connectToPeer(channelDeps(b!), target))
    expect([again.code, again.reason]).toEqual(['refused_by_peer', 'revoked'])
    await server.close()
  })

  it('a request in flight when this desk closes the connection ends as closed, even if the answer still comes', async () => {
    // A desk whose network stopped (the app quitting, or a split in the anomaly test) once stored a page of the post
    // log that another desk answered after the stop: close() only half-closes, so the answer could still be read.
    const { central } = await testCentral()
    const [a, b] = await postDesks(central, SURABAYA.postId, 2)
    const { server, target } = await serve(a!)
    const conn = await connectToPeer(channelDeps(b!), target)
    expect(await conn.request('echo', 1)).toBe(1)
    const pending = conn.request('echo', 2)
    conn.close()
    expect((await failure(pending)).code).toBe('closed')
    expect(conn.closed).toBe(true)
    await server.close()
  })

  it('a 50 MB frame is cut off at its length, a trickling one at its deadline, and the server lives on', async () => {
    const { central } = await testCentral()
    const [a, b] = await postDesks(central, SURABAYA.postId, 2)
    const { deps, server, target } = await serve(a!, { idleTimeoutMs: 400 })

    const big = await rawClient(b!, server.port)
    const head = Buffer.alloc(4)
    head.writeUInt32BE(50 * 1024 * 1024)
    big.socket.write(head)
    big.socket.write(Buffer.alloc(64 * 1024, 0x7b))
    await big.closed
    expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'frame_too_large' }))

    const slow = await rawClient(b!, server.port)
    head.writeUInt32BE(1024)
    slow.socket.write(head)
    const trickle = setInterval(() => slow.socket.write('{'), 100)
    await slow.closed
    clearInterval(trickle)
    expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'frame_timeout' }))

    const garbled = await rawClient(b!, server.port)
    garbled.socket.write(Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from([0xff, 0xfe, 0x00])]))
    await garbled.closed
    expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'bad_frame' }))

    // Still serving the desk when it behaves.
    const conn = await connectToPeer(channelDeps(b!), target)
    expect(await conn.request('echo', 'ok')).toBe('ok')
    conn.close()
    await server.close()
  })

  it('the client cuts off a server that answers 50 MB or never finishes', async () => {
    const { central } = await testCentral()
    const [a, b] = await postDesks(central, SURABAYA.postId, 2)
    const { server, target } = await serve(a!)
    server.close()
    // A's real identity, misbehaving: answers hello properly, then a page too large or one that never ends.
    const { createServer } = await import('node:tls')
    const id = await a!.kiosk.postTrust.identity()
    for (const mode of ['huge', 'endless'] as const) {
      const evil = createServer({ cert: new X509Certificate(id.certificate).toString(), key: id.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false }, (socket) => {
        socket.on('error', () => undefined)
        socket.once('data', () => {
          socket.write(encodeFrame({ type: 'hello', v: 1, postId: a!.postId, kioskId: a!.kioskId }))
          socket.once('data', () => {
            const head = Buffer.alloc(4)
            head.writeUInt32BE(mode === 'huge' ? 50 * 1024 * 1024 : 100)
            socket.write(head)
            if (mode === 'huge') socket.write(Buffer.alloc(1024 * 1024, 0x20))
            else {
              const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write(' ')), 50)
            }
          })
        })
      })
      await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
      const port = (evil.address() as { port: number }).port
      const deps = channelDeps(b!, { requestTimeoutMs: 500 })
      const conn = await connectToPeer(deps, { ...target, port })
      const error = await failure(conn.request('echo', 1))
      expect(error.code).toBe(mode === 'huge' ? 'frame_too_large' : 'frame_timeout')
      expect(deps.peers.list()).toContainEqual(expect.objectContaining({ state: 'refused', reason: error.code }))
      await new Promise((resolve) => evil.close(resolve))
    }
  })
})
