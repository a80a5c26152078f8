import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { SimulatedLink } from '../../fixtures/link/simulated-link'

/**
 * The most any sender could get through a link with cuts: a perfect one. It reconnects the moment a connection
 * dies, knows exactly what arrived (the sink tells it outside the link) and resends only the rest, with no request
 * framing, no question, no waiting for an answer. What it still loses is the link's own: bytes in flight and in
 * the link's queue when a cut comes, the new connection's handshake, TCP's slow start. Posko's figures on the same
 * link are read against this (links.bench.ts).
 */
export interface CeilingRun {
  bytes: number
  ms: number
  connections: number
}

const CHUNK = 64 * 1024

/**
 * `streams` connections share the bytes; `pauseMs` waits that long after a cut before reconnecting (what asking
 * central first costs Posko: with 300 ms at 2 Mbit/s the perfect sender fell from 0.94× to 0.91× and re-sent 1.9 %
 * instead of 1.4 %; design notes, session 9).
 */
export async function perfectSend(link: SimulatedLink, bytes: number, streams = 1, pauseMs = 0): Promise<CeilingRun> {
  const argv = link.place([process.execPath, '--import', 'tsx', resolve(import.meta.dirname, 'sink-child.ts')])
  const sink = spawn(argv[0]!, argv.slice(1), { cwd: resolve(import.meta.dirname, '..', '..', '..'), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  try {
    const port = await new Promise<number>((done, fail) => {
      sink.once('message', (m: { type: string; port: number }) => done(m.port))
      sink.once('exit', (code) => fail(new Error(`sink exited (${code})`)))
    })
    const url = new URL(await link.attach(port))
    let asked = 0
    const delivered = (stream: number) =>
      new Promise<number>((done) => {
        const id = ++asked
        const listen = (m: { type: string; id: number; delivered: number }) => {
          if (m.type !== 'delivered' || m.id !== id) return
          sink.off('message', listen)
          done(m.delivered)
        }
        sink.on('message', listen)
        sink.send({ type: 'delivered', id, stream })
      })
    const payload = Buffer.alloc(CHUNK, 0x5a)
    const t0 = performance.now()
    let connections = 0
    const share = Math.ceil(bytes / streams)
    const send = async (stream: number) => {
      const end = Math.min(bytes, (stream + 1) * share) - stream * share
      // Each stream waits after its own cuts only, not before its first connection.
      for (let tries = 0; ; tries++) {
        const from = await delivered(stream)
        if (from >= end) return
        if (tries > 0 && pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs))
        connections++
        await new Promise<void>((done) => {
          const socket = connect(Number(url.port), url.hostname)
          socket.setNoDelay(true)
          let offset = from
          const header = Buffer.alloc(16)
          header.writeBigUInt64BE(BigInt(stream), 0)
          header.writeBigUInt64BE(BigInt(from), 8)
          const pump = () => {
            while (offset < end) {
              const n = Math.min(CHUNK, end - offset)
              offset += n
              if (!socket.write(n === CHUNK ? payload : payload.subarray(0, n))) return socket.once('drain', pump)
            }
            socket.end()
          }
          socket.once('connect', () => {
            socket.write(header)
            pump()
          })
          socket.on('error', () => undefined)
          // The sink ends its side after our FIN, which comes after every byte: a clean close means all arrived.
          socket.once('close', () => done())
        })
      }
    }
    await Promise.all(Array.from({ length: streams }, (_, stream) => send(stream)))
    return { bytes, ms: performance.now() - t0, connections }
  } finally {
    sink.send({ type: 'close' })
    await new Promise((done) => sink.once('exit', done))
  }
}
