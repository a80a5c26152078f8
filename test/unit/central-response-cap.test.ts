import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createCentralClient } from '../../main/services/central/client'
import { ResponseTooLargeError, SMALL_ANSWER_BYTES } from '../../main/services/central/read-capped'
import { MAX_ANSWER_BYTES, nodeTransport } from '../../main/services/central/transport'
import { requestEnrolment } from '../../main/services/enrolment/client'
import { createHeartbeat } from '../../main/services/fleet'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { toQueueStatus } from '../../main/services/upload/status'
import { makeValidRecords } from '../central/fixtures'
import { DEMO_POST_ID } from '../central/server'
import { demoCentral, manualClock, tempDir } from './helpers'
import { MALANG_POST, SURABAYA_POST, testKiosk } from './bundle-kit'

/**
 * Issue 17 (low): every answer the kiosk reads is capped. A "central" (a captive portal, a proxy, a hostile
 * server) that answers an endless 200 must give a typed failure after at most the cap, not an out-of-memory kiosk.
 */

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** Answers every request with a JSON 200 that never ends (or declares 2 GB); counts what it managed to write. */
async function hostile(mode: 'endless' | 'declared') {
  const sent = { bytes: 0 }
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  const server = createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', ...(mode === 'declared' ? { 'content-length': String(2 * 1024 ** 3) } : {}) })
    const pump = () => {
      // Far past any cap: a client that never stops reading would get all of it.
      while (!res.destroyed && sent.bytes < 1024 ** 3) {
        sent.bytes += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
    }
    res.on('error', () => undefined)
    pump()
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // close() waits for open sockets; a hostile answer left half-written would hold the test up.
  const close = server.close.bind(server)
  server.close = ((cb?: (err?: Error) => void) => {
    server.closeAllConnections()
    return close(cb)
  }) as Server['close']
  return { url, sent }
}

describe('answers the kiosk reads are capped', () => {
  it.each(['endless', 'declared'] as const)('the uploader\'s transport stops at %s answers and says why; the client calls it malformed', async (mode) => {
    const { url, sent } = await hostile(mode)
    await expect(nodeTransport(`${url}/v1/health`, { method: 'GET', headers: {}, timeoutMs: 30_000 })).rejects.toBeInstanceOf(ResponseTooLargeError)
    expect(sent.bytes).toBeLessThan(MAX_ANSWER_BYTES + 64 * 1024 ** 2)
    const client = createCentralClient({ baseUrl: url, token: 't' })
    const records = makeValidRecords(1, SURABAYA_POST)
    expect(await client.postBatch({ postId: SURABAYA_POST, batchId: randomUUID(), records })).toEqual({
      ok: false,
      failure: { kind: 'malformed', reason: 'answer_too_large' },
    })
  })

  it('an answer up to the cap is still read whole', async () => {
    const body = JSON.stringify({ status: 'ok', pad: 'x'.repeat(MAX_ANSWER_BYTES - 100) })
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    expect((await nodeTransport(url, { method: 'GET', headers: {}, timeoutMs: 30_000 })).text.length).toBe(body.length)
  })

  it('the heartbeat reads at most a small answer: bad_answer', async () => {
    const { url, sent } = await hostile('endless')
    const heartbeat = createHeartbeat({
      credentials: () => ({ baseUrl: url, token: 't' }),
      postId: DEMO_POST_ID,
      version: '1.4.2',
      queueStatus: () => toQueueStatus([], null),
      uploadState: () => ({ status: 'idle', pending: 0, lastSyncAt: null, lastError: null, nextAttemptAt: null, progress: null }),
      dataDir: tempDir(),
      diskSpace: async (path) => ({ path, freeBytes: 1, totalBytes: 2 }),
      clock: manualClock(0),
      logger: createMemoryLogger(),
    })
    expect(await heartbeat.send()).toMatchObject({ ok: false, reason: 'bad_answer' })
    expect(sent.bytes).toBeLessThan(SMALL_ANSWER_BYTES + 64 * 1024 ** 2)
  })

  it('enrolment refuses a huge answer as not an enrolment', async () => {
    const { url } = await hostile('declared')
    await expect(
      requestEnrolment(fetch, url, { postId: SURABAYA_POST, code: 'ABCDEFGHJKMN', kioskPublicKey: 'x', kioskVersion: '1.0.0' }, 30_000),
    ).rejects.toMatchObject({ code: 'unavailable', details: { reason: 'bad_answer' } })
  })

  it('a bundle import reads at most a small receipt: bad_answer, and the kiosk can import again', async () => {
    const { central } = await demoCentral()
    const { url } = await hostile('endless')
    let target: string | null = null
    const origin = testKiosk()
    await origin.enrolment.enrol({ centralUrl: central.url, postId: SURABAYA_POST, code: central.issueEnrolmentCode(SURABAYA_POST).code })
    origin.queue(makeValidRecords(1, SURABAYA_POST))
    const { file } = await origin.bundles.exportBundle({ directory: tempDir('posko-usb-') })
    const importer = testKiosk({ transport: (to, request) => nodeTransport(target === null ? to : to.replace(central.url, target), request) })
    await importer.enrolment.enrol({ centralUrl: central.url, postId: MALANG_POST, code: central.issueEnrolmentCode(MALANG_POST).code })
    target = url
    await expect(importer.bundles.importBundle(file)).rejects.toMatchObject({ code: 'unavailable', details: { reason: 'bad_answer' } })
    target = null
    expect(await importer.bundles.importBundle(file)).toMatchObject({ accepted: 1 })
  })
})
