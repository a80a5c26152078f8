import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { connectToPeer, startPeerServer } from '../../main/services/network/channel'
import { PageError } from '../../main/services/network/post-log'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { MALANG, SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, eventually, postDesks } from './network-kit'

/**
 * Issue 21.3: the replicated post log between three real desks enrolled to the reference central. A registration at
 * one desk is known at the other two (the NIK step's post-wide check finds it, naming the desk and the receipt), and
 * nothing personal crosses; a desk serving bad pages is refused and nothing of them is stored.
 */
const logRows = (desk: Desk) => {
  const db = new Database(join(desk.dataDir, 'posko.db'), { readonly: true })
  try {
    return db.prepare('SELECT kiosk_id, seq, kind, record_id, receipt_no, hex(nik_hmac) AS nik, state FROM post_log ORDER BY kiosk_id, seq').all() as Array<Record<string, unknown>>
  } finally {
    db.close()
  }
}

describe('the post log', () => {
  it('a registration at A is known at B and C, by desk and receipt, with nothing personal on the wire or at the peers', async () => {
    const { central } = await testCentral()
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 2000 })
    const [a, b, c] = desks as [Desk, Desk, Desk]
    for (const desk of desks) await desk.kiosk.network.start()

    const nik = nikFor(7)
    const submitted = (await a.kiosk.call('registration.submit', { draft: makeDraft({ nik }) })) as { ok: true; value: { receiptNo: string } }
    expect(submitted.ok).toBe(true)
    const receiptNo = submitted.value.receiptNo
    for (const desk of [b, c]) {
      await eventually(() => desk.kiosk.postLog.otherDesks(nik).length > 0, 8000, 'registration known')
      expect(desk.kiosk.postLog.otherDesks(nik)).toEqual([{ kioskId: a.kioskId, desk: 'Meja 1', receiptNo, at: expect.any(String), state: null }])
    }
    // The NIK step's `desk` source at B: refused like a local duplicate, naming the desk, the receipt and the time.
    expect(await b.kiosk.call('registration.checkNik', { nik, source: 'desk' })).toEqual({
      ok: true,
      value: { source: 'desk', found: 'this_post', receiptNo, registeredAt: expect.any(String), state: 'queued', desk: 'Meja 1' },
    })
    expect(await b.kiosk.call('registration.checkNik', { nik: nikFor(9), source: 'desk' })).toEqual({ ok: true, value: { source: 'desk', found: 'none' } })
    // A's own record is not "another desk" at A; another NIK is unknown everywhere.
    expect(a.kiosk.postLog.otherDesks(nik)).toEqual([])
    expect(b.kiosk.postLog.otherDesks(nikFor(8))).toEqual([])

    // What B holds of A: ids, the receipt, the keyed hash; no name, NIK or street anywhere in its database.
    // (A desk status event may be there too when the test runs past A's first status tick on a loaded machine.)
    const atB = logRows(b).filter((r) => r.kiosk_id === a.kioskId && r.kind !== 'desk')
    expect(atB).toEqual([{ kiosk_id: a.kioskId, seq: 1, kind: 'registered', record_id: expect.any(String), receipt_no: receiptNo, nik: expect.stringMatching(/^[0-9A-F]{64}$/), state: null }])
    b.close()
    const { readFileSync } = await import('node:fs')
    const bytes = Buffer.concat([readFileSync(join(b.dataDir, 'posko.db')), readFileSync(join(b.dataDir, 'posko.db-wal'), { flag: 'a+' })])
    for (const secret of [nik, makeDraft().fullName, makeDraft().ktpAddress.street]) expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false)
  })

  it('a page that is garbled, out of sequence, of another post or too long is refused and stores nothing', async () => {
    const { central } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2)) as [Desk, Desk]
    const event = (seq: number) => ({
      seq,
      kind: 'registered',
      recordId: '0190a0b0-0000-7000-8000-00000000000' + String(seq % 10),
      receiptNo: `${SURABAYA.postId}-20261206-000${seq % 10}`,
      nikHmac: Buffer.alloc(32, seq).toString('base64'),
      state: null,
      operatorId: 'sup-1',
      selfService: false,
      at: new Date().toISOString(),
    })
    const page = (events: unknown[], over: Record<string, unknown> = {}) => ({ postId: SURABAYA.postId, kioskId: a.kioskId, events, ...over })
    const cases: Array<[string, unknown]> = [
      ['bad_page', { garbled: true }],
      ['bad_page', page([{ ...event(1), fullName: 'SITI' }])],
      ['wrong_sequence', page([event(1), event(3)])],
      ['wrong_sequence', page([event(2)])],
      ['other_post', page([event(1)], { postId: MALANG.postId })],
      ['wrong_kiosk', page([event(1)], { kioskId: b.kioskId })],
      ['too_many', page(Array.from({ length: 501 }, (_, i) => event(i + 1)))],
      ['bad_page', page([{ ...event(1), kind: 'state' }])],
      // A desk status names no record and carries only its queue depth; a record event carries no queue depth.
      ['bad_page', page([{ ...event(1), kind: 'desk', queueDepth: 3 }])],
      ['bad_page', page([{ ...event(1), queueDepth: 3 }])],
      ['bad_page', page([{ ...event(1), kind: 'desk', recordId: null, receiptNo: null, nikHmac: null, operatorId: null, queueDepth: -1 }])],
      // The anomaly screen's mark (issue 21.4) names two records and carries nothing else.
      ['bad_page', page([{ ...event(1), kind: 'resolved', receiptNo: null, nikHmac: null }])],
      ['bad_page', page([{ ...event(1), kind: 'resolved', receiptNo: null, keptId: event(2).recordId }])],
      ['bad_page', page([{ ...event(1), kind: 'resolved', receiptNo: null, nikHmac: null, keptId: event(1).recordId }])],
      ['bad_page', page([{ ...event(1), keptId: event(2).recordId }])],
    ]
    const before = logRows(b)
    for (const [fault, answer] of cases) {
      // A's real identity, answering the pull with this page.
      const server = await startPeerServer(channelDeps(a), async () => answer, { host: '127.0.0.1', port: 0 })
      const connection = await connectToPeer(channelDeps(b), { host: '127.0.0.1', port: server.port, source: 'config' })
      const error = await b.kiosk.postLog.pull(connection).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error, fault).toBeInstanceOf(PageError)
      expect((error as PageError).fault).toBe(fault)
      await server.close()
    }
    expect(logRows(b)).toEqual(before)
    expect(b.kiosk.network.peers()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'bad_page' }))
  })
})
