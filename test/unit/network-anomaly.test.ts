import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AnomalyListView, AnomalyView } from '../../common/network'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { startTestCentral, SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'
import type { Desk } from './network-kit'
import { eventually, postDesks } from './network-kit'

/**
 * Issue 21.4, the anomaly screen, with three real desks enrolled to the reference central on loopback, each on its
 * own TLS port. A registration at A is refused at B and C at the NIK step; then C is cut off (its network stopped),
 * one NIK is registered at A and at C, the split heals, and every desk lists the NIK as registered twice, from the
 * post NIK HMACs alone. A supervisor at B (a desk holding neither record) marks C's record as the duplicate of A's:
 * audited at B, replicated, resolved at all three, and recorded at central.
 */
type Ok<T> = { ok: true; value: T }
const submit = async (desk: Desk, nik: string) => {
  const result = (await desk.kiosk.call('registration.submit', { draft: makeDraft({ nik }) })) as Ok<{ id: string; receiptNo: string }>
  expect(result.ok).toBe(true)
  return result.value
}
const resolvedEvents = (desk: Desk) => {
  const db = new Database(join(desk.dataDir, 'posko.db'), { readonly: true })
  try {
    return (db.prepare("SELECT count(*) AS n FROM post_log WHERE kind = 'resolved'").get() as { n: number }).n
  } finally {
    db.close()
  }
}
const anomaliesAt = async (desk: Desk) => ((await desk.kiosk.call('network.anomalies', undefined)) as Ok<AnomalyListView>).value

describe('the anomaly screen', () => {
  it('a split and heal shows a NIK registered twice on all three desks; a supervisor\'s mark resolves it on all three and reaches central', async () => {
    const env = await testCentral()
    const { central } = env
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 1500 })
    const [a, b, c] = desks as [Desk, Desk, Desk]
    for (const desk of desks) await desk.kiosk.network.start()

    // Joined: a registration at A is refused at B and C at the NIK step, naming A's desk and receipt.
    const first = await submit(a, nikFor(1))
    for (const desk of [b, c]) {
      await eventually(() => desk.kiosk.postLog.otherDesks(nikFor(1)).length > 0, 8000, 'A\'s registration known')
      expect(await desk.kiosk.call('registration.checkNik', { nik: nikFor(1), source: 'desk' })).toMatchObject({
        ok: true,
        value: { source: 'desk', found: 'this_post', receiptNo: first.receiptNo, desk: 'Meja 1' },
      })
    }

    // Split: C's network is down; A and C each accept the same NIK (neither can know of the other).
    await c.kiosk.network.stop()
    const nik = nikFor(2)
    const atA = await submit(a, nik)
    const atC = await submit(c, nik)
    await eventually(() => b.kiosk.postLog.otherDesks(nik).length === 1, 8000, 'A\'s record at B')
    expect(c.kiosk.postLog.otherDesks(nik)).toEqual([])
    for (const desk of desks) expect((await anomaliesAt(desk)).open).toBe(0)

    // Heal: every desk lists the NIK as registered twice, both receipts, desks and times; names only for its own.
    await c.kiosk.network.start()
    for (const desk of desks) await eventually(() => desk.kiosk.anomalies.list().open === 1, 20_000, `the anomaly at ${desk.kioskId}`)
    const name = makeDraft().fullName.toUpperCase()
    const expected = (own: 'a' | 'c' | null): AnomalyView => ({
      id: atA.id,
      resolved: false,
      records: [
        { recordId: atA.id, desk: 'Meja 1', ownDesk: own === 'a', receiptNo: atA.receiptNo, registeredAt: expect.any(String), state: 'queued', fullName: own === 'a' ? name : null, duplicateOf: null, markedBy: null },
        { recordId: atC.id, desk: 'Meja 3', ownDesk: own === 'c', receiptNo: atC.receiptNo, registeredAt: expect.any(String), state: 'queued', fullName: own === 'c' ? name : null, duplicateOf: null, markedBy: null },
      ],
    })
    expect(await anomaliesAt(a)).toEqual({ open: 1, anomalies: [expected('a')] })
    expect(await anomaliesAt(b)).toEqual({ open: 1, anomalies: [expected(null)] })
    expect(await anomaliesAt(c)).toEqual({ open: 1, anomalies: [expected('c')] })

    // Bad marks are refused with typed errors and change nothing: no mark in any log, no audit row. (Not the whole
    // database's fingerprint: the desks' status events keep replicating meanwhile.)
    const untouched = () => ({ marks: resolvedEvents(b), audit: b.kiosk.audit.list({ limit: 1000 }).length, list: b.kiosk.anomalies.list() })
    const before = untouched()
    const unknown = '0190a0b0-0000-7000-8000-000000000001'
    expect(await b.kiosk.call('network.markDuplicate', { duplicateId: unknown, keptId: atA.id })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await b.kiosk.call('network.markDuplicate', { duplicateId: atC.id, keptId: first.id })).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'not_same_nik' } } })
    expect(await b.kiosk.call('network.markDuplicate', { duplicateId: atC.id, keptId: atC.id })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await b.kiosk.call('network.markDuplicate', { duplicateId: atC.id, keptId: atA.id, nik })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(untouched()).toEqual(before)
    expect(before.marks).toBe(0)

    // B's supervisor marks C's record as the duplicate of A's while central is out of reach: audited at B, then
    // resolved at every desk; central hears of it once it is back.
    await central.close()
    const marked = (await b.kiosk.call('network.markDuplicate', { duplicateId: atC.id, keptId: atA.id })) as Ok<AnomalyView>
    expect(marked.ok).toBe(true)
    expect(marked.value.resolved).toBe(true)
    expect(marked.value.records[1]).toMatchObject({ recordId: atC.id, duplicateOf: atA.id, markedBy: { desk: 'Meja 2', operatorId: 'sup-1' } })
    const audited = b.kiosk.audit.list({ action: 'mark_duplicate' })
    expect(audited).toEqual([expect.objectContaining({ actor: 'sup-1', record_id: atC.id })])
    expect(JSON.parse(audited[0]!.details as string)).toMatchObject({ keptId: atA.id })
    for (const desk of desks) await eventually(() => desk.kiosk.anomalies.list().open === 0, 8000, `resolved at ${desk.kioskId}`)
    for (const desk of [a, c]) {
      const seen = (await anomaliesAt(desk)).anomalies[0]!
      expect(seen).toMatchObject({ resolved: true, records: [{ recordId: atA.id, duplicateOf: null }, { recordId: atC.id, duplicateOf: atA.id, markedBy: { desk: 'Meja 2' } }] })
    }
    // Marking it again, anywhere, is a conflict: the record is marked.
    expect(await a.kiosk.call('network.markDuplicate', { duplicateId: atC.id, keptId: atA.id })).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'already_marked' } } })

    // Central has the post's word once it is back, once, however often B sends it.
    expect(await b.kiosk.anomalies.sendToCentral()).toEqual({ sent: 0, pending: 1 })
    const back = await startTestCentral({ dataDir: env.dataDir, port: Number(new URL(central.url).port) })
    try {
      expect(await b.kiosk.anomalies.sendToCentral()).toEqual({ sent: 1, pending: 0 })
      expect(await b.kiosk.anomalies.sendToCentral()).toEqual({ sent: 0, pending: 0 })
      expect(back.central.db.prepare('SELECT duplicate_id, kept_id, post_id, operator_id FROM duplicate_marks').all()).toEqual([
        { duplicate_id: atC.id, kept_id: atA.id, post_id: SURABAYA.postId, operator_id: 'sup-1' },
      ])
    } finally {
      await back.central.close()
    }

    // Nothing of the applicant crossed: B's database holds C's and A's records as receipts and keyed hashes only.
    b.close()
    const db = new Database(join(b.dataDir, 'posko.db'), { readonly: true })
    const held = db.prepare("SELECT count(*) AS n FROM registrations").get() as { n: number }
    db.close()
    expect(held.n).toBe(0)
  }, 90_000)
})
