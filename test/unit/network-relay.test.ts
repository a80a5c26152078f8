import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Transport } from '../../main/services/central/transport'
import { nodeTransport } from '../../main/services/central/transport'
import { connectToPeer, startPeerServer } from '../../main/services/network/channel'
import { checkPage, PageError } from '../../main/services/network/post-log'
import { RELAY_ASK } from '../../main/services/network/relay'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { freePorts } from '../fixtures/ports'
import { SURABAYA } from '../central/testkit'
import { openKiosk, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, cutUplink, enrolDesk, eventually, expectNowhere, laterVersionLink, postDesks, reopenDesk, withFields } from './network-kit'

/**
 * Issue 22.2, relay through a neighbour's uplink, with real desks: kiosks enrolled to the reference central, mutual
 * TLS on loopback, one desk's central a dead port. Its records reach central through the others, once each, and the
 * outcome comes back through the post log: the origin shows them accepted as if it had uploaded them itself.
 */
const q = (desk: Desk, sql: string, ...args: unknown[]) => desk.kiosk.store.connection().prepare(sql).all(...args) as Array<Record<string, unknown>>
const one = (desk: Desk, sql: string, ...args: unknown[]) => desk.kiosk.store.connection().prepare(sql).pluck().get(...args) as number
const heldCount = (desk: Desk, origin: string) => one(desk, 'SELECT count(*) FROM backup_held WHERE origin_kiosk_id = ?', origin)
/** The `relayed` events a desk wrote into its own log: which records it posted for whom, and central's answer. */
const ownRelayed = (desk: Desk) =>
  q(desk, "SELECT record_id AS recordId, origin_kiosk_id AS origin, state FROM post_log WHERE kiosk_id = 'self' AND kind = 'relayed' ORDER BY seq") as Array<{ recordId: string; origin: string; state: string }>

async function submit(desk: Desk, n: number): Promise<string> {
  const r = (await desk.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(n) }) })) as { ok: boolean; value: { id: string } }
  expect(r.ok).toBe(true)
  return r.value.id
}

/** How many times central holds each record (0: lost, 2: twice; the table's keys make 2 impossible, 0 is the risk). */
function atCentral(dataDir: string, ids: readonly string[]): Map<string, number> {
  const db = new Database(join(dataDir, 'central.sqlite'), { readonly: true })
  try {
    const count = db.prepare('SELECT count(*) FROM registrations WHERE record_id = ?').pluck()
    return new Map(ids.map((id) => [id, count.get(id) as number]))
  } finally {
    db.close()
  }
}
const onceEach = (counts: Map<string, number>) => [...counts.values()].every((n) => n === 1)

describe('relay through a neighbour\'s uplink', () => {
  it('A cut off from central: 300 records reach central once each through B and C and show accepted at A; A\'s disk dies mid-relay and still none is lost or twice', async () => {
    const { central, dataDir } = await testCentral()
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 3000 })
    const [, b, c] = desks as [Desk, Desk, Desk]
    await cutUplink(desks[0]!)
    const a = reopenDesk(desks[0]!, desks[0]!.net)

    const ids: string[] = []
    for (let n = 0; n < 300; n++) ids.push(await submit(a, n))
    // A's own uploader finds central unreachable: from now on A asks the others.
    await a.kiosk.uploader.runOnce()
    expect(a.kiosk.uploader.state()).toMatchObject({ status: 'waiting', lastError: 'network' })
    for (const desk of [a, b, c]) await desk.kiosk.network.start()

    await eventually(() => a.kiosk.store.countInState('accepted') === 300, 120_000, 'A shows its 300 records accepted')
    expect(a.kiosk.store.outbox()).toEqual([])
    expect(onceEach(atCentral(dataDir, ids))).toBe(true)
    // Through B or C: their own logs say which they posted; together every record (how they share it depends on
    // which of them A reaches first, and how fast each posts).
    const relayed = [...ownRelayed(b), ...ownRelayed(c)]
    expect(new Set(relayed.map((r) => r.recordId))).toEqual(new Set(ids))
    expect(relayed.every((r) => r.origin === a.kioskId && r.state === 'accepted')).toBe(true)
    // A's answers reach B and C through A's own log, as after an upload of its own: their copies go.
    await eventually(() => heldCount(b, a.kioskId) === 0 && heldCount(c, a.kioskId) === 0, 20_000, 'B and C drop A\'s accepted records')

    // A's disk dies while its next records are being relayed: some went, some did not.
    const more: string[] = []
    for (let n = 300; n < 340; n++) more.push(await submit(a, n))
    const notSafe = () =>
      one(a, "SELECT count(*) FROM registrations r WHERE r.state IN ('queued', 'uploading', 'exported') AND NOT EXISTS (SELECT 1 FROM backup_given g WHERE g.record_id = r.id)")
    await eventually(() => notSafe() === 0, 20_000, 'the next records backed up')
    a.close()
    rmSync(a.dataDir, { recursive: true, force: true })
    // What B and C took on they finish; what A never asked them to post, A's reinstalled self restores (22.4).
    await Promise.all([b.kiosk.relay.run(), c.kiosk.relay.run()])
    const [port] = await freePorts(1)
    const fresh = await enrolDesk(central, SURABAYA.postId, { port: port!, peers: [b, c].map((d) => `127.0.0.1:${d.net!.port}`), roundMs: 100, goneAfterMs: 3000 })
    for (const desk of [b, c]) expect(await desk.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    await fresh.kiosk.network.start()
    await eventually(() => (fresh.kiosk.network.mesh()?.connected().length ?? 0) === 2, 10_000, 'the new desk connected to B and C')
    const restored = (await fresh.kiosk.call('backup.restore', { kioskId: a.kioskId })) as { ok: true; value: { records: number; failed: number } }
    expect(restored.value.failed).toBe(0)
    const all = atCentral(dataDir, [...ids, ...more])
    expect([...all].filter(([, n]) => n !== 1)).toEqual([])
  }, 240_000)

  it('the origin and a relay upload the same records at once: central holds each once, and every desk\'s log agrees on the final states', async () => {
    const { central, dataDir } = await testCentral()
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 3000, relay: 'always' })
    // B and C post what they relay through a gate that opens when A's own batch is on its way to central: from then
    // on both paths post the same records at once, and A's batch reaches central whatever the load (opened any
    // earlier, the relays could post every record, and A apply their outcomes, before A's upload worker claimed a
    // batch: A would then rightly send none, and this test would not see both paths).
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const gated: Transport = async (url, init) => {
      await gate
      return nodeTransport(url, init)
    }
    const origin: Transport = (url, init) => {
      if (new URL(url).pathname === '/v1/registrations:batch') open()
      return nodeTransport(url, init)
    }
    desks[0]!.close()
    const a = reopenDesk(desks[0]!, desks[0]!.net, { transport: origin })
    const [b, c] = desks.slice(1).map((desk) => {
      desk.close()
      const opened = openKiosk({
        dataDir: desk.dataDir,
        config: { postId: desk.postId, network: { port: desk.net!.port, mdns: false, peers: desk.net!.peers } },
        network: { host: '127.0.0.1', port: desk.net!.port, mdns: false, roundMs: 100, goneAfterMs: 3000 },
        upload: { transport: gated },
      })
      return { ...desk, kiosk: opened.kiosk, logger: opened.logger, close: opened.close } as Desk
    }) as [Desk, Desk]

    const ids: string[] = []
    for (let n = 0; n < 60; n++) ids.push(await submit(a, n))
    for (const desk of [a, b, c]) await desk.kiosk.network.start()
    // A asks B and C to relay (it always asks here), and they take every record on, their posts held at the gate.
    const jobs = () => one(b, 'SELECT count(*) FROM relay_jobs') + one(c, 'SELECT count(*) FROM relay_jobs')
    await eventually(() => jobs() === 60, 20_000, 'B and C took on all 60')

    // Now both at once: A's uploader posts its 60 records while B and C post the same 60 as bundles. (Should A's run
    // end without a batch, the gate opens all the same, and the checks below say what went wrong.)
    const upload = a.kiosk.uploader.runOnce().finally(open)
    await Promise.all([upload, b.kiosk.relay.run(), c.kiosk.relay.run()])
    await eventually(() => jobs() === 0 && a.kiosk.store.countInState('accepted') === 60, 20_000, 'all answered')
    expect(onceEach(atCentral(dataDir, ids))).toBe(true)
    // Both paths really reached central: A's batch, and B's and C's bundles (at least the 8 whose bytes were read
    // before the gate; a relay whose copy A's own answer dropped meanwhile has nothing left to post, rightly).
    const relayed = [...ownRelayed(b), ...ownRelayed(c)]
    expect(relayed.length).toBeGreaterThanOrEqual(8)
    const centralDb = new Database(join(dataDir, 'central.sqlite'), { readonly: true })
    expect(centralDb.prepare('SELECT count(*) FROM bundles').pluck().get()).toBe(relayed.length)
    expect(centralDb.prepare('SELECT count(*) FROM batches WHERE batch_id NOT IN (SELECT bundle_id FROM bundles)').pluck().get()).toBeGreaterThan(0)
    centralDb.close()

    // Every desk agrees: A's own states, B's and C's copies of A's log, and the relays' outcomes as every desk holds them.
    const finalAt = (desk: Desk, log: string) =>
      Object.fromEntries(
        (q(desk, "SELECT record_id, state FROM post_log WHERE kiosk_id = ? AND kind = 'state' ORDER BY seq", log) as Array<{ record_id: string; state: string }>).map((r) => [r.record_id, r.state]),
      )
    const expected = Object.fromEntries(ids.map((id) => [id, 'accepted']))
    expect(finalAt(a, 'self')).toEqual(expected)
    expect(relayed.filter((r) => r.origin !== a.kioskId || expected[r.recordId] !== r.state)).toEqual([])
    const logAt = (desk: Desk, log: string) => q(desk, 'SELECT seq, kind, record_id, state, origin_kiosk_id FROM post_log WHERE kiosk_id = ? ORDER BY seq', log)
    await eventually(
      () =>
        JSON.stringify(logAt(b, a.kioskId)) === JSON.stringify(logAt(a, 'self')) &&
        JSON.stringify(logAt(c, a.kioskId)) === JSON.stringify(logAt(a, 'self')) &&
        JSON.stringify(logAt(a, b.kioskId)) === JSON.stringify(logAt(b, 'self')) &&
        JSON.stringify(logAt(c, b.kioskId)) === JSON.stringify(logAt(b, 'self')) &&
        JSON.stringify(logAt(a, c.kioskId)) === JSON.stringify(logAt(c, 'self')) &&
        JSON.stringify(logAt(b, c.kioskId)) === JSON.stringify(logAt(c, 'self')),
      20_000,
      'every desk holds every log as its desk wrote it',
    )
    expect(finalAt(b, a.kioskId)).toEqual(expected)
    expect(finalAt(c, a.kioskId)).toEqual(expected)
  }, 120_000)

  it('refuses bad relay requests, bad answers and outcomes for records it never asked that desk to relay: typed, logged, nothing changed', async () => {
    const { central } = await testCentral()
    // Rounds by hand only.
    const desks = await postDesks(central, SURABAYA.postId, 2, { roundMs: 3_600_000, deskStatus: { tickMs: 3_600_000 } })
    const [, b] = desks as [Desk, Desk]
    await cutUplink(desks[0]!)
    const a = reopenDesk(desks[0]!, desks[0]!.net)
    const first = [await submit(a, 1), await submit(a, 2)]
    await a.kiosk.uploader.runOnce()
    await b.kiosk.network.start()
    await a.kiosk.network.start()
    // One round: A gives B its records and asks B to relay them; B posts them; the next round brings the outcome.
    await a.kiosk.network.mesh()!.round()
    // Asked, not answered yet: central may hold it any moment, so staff cannot change it (what B posts is what A holds).
    expect(a.kiosk.store.outbox().map((o) => o.inDoubt)).toEqual([true, true])
    const edit = await a.kiosk.call('registration.update', { id: first[0], draft: makeDraft({ nik: nikFor(1) }) })
    expect(edit).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'awaiting_central' } } })
    await b.kiosk.relay.run()
    await a.kiosk.network.mesh()!.round()
    expect(a.kiosk.store.countInState('accepted')).toBe(2)
    expect(a.kiosk.store.outbox()).toEqual([])

    // Requests that are not one: refused at B with a typed code, logged, nothing taken on.
    const jobsBefore = JSON.stringify(q(b, 'SELECT * FROM relay_jobs'))
    const asA = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port: b.net!.port, source: 'config' })
    const ask = (params: unknown) => asA.request('relay.ask', params).then((answer) => answer, (e: { reason?: string }) => e.reason)
    const uuid = (n: number) => `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`
    const bad = [null, {}, { recordIds: [] }, { recordIds: ['x'] }, { recordIds: [first[0], first[0]] }, { recordIds: Array.from({ length: 65 }, (_, i) => uuid(i)) }]
    for (const params of bad) expect(await ask(params)).toBe('bad_request')
    // Records B holds for nobody, or for another desk: nothing to take.
    expect(await ask({ recordIds: [uuid(99)] })).toEqual({ taken: [] })
    asA.close()
    expect(JSON.stringify(q(b, 'SELECT * FROM relay_jobs'))).toBe(jobsBefore)
    expect(b.logger!.entries.filter((e) => e.message === 'relay: refused').map((e) => e.fields?.reason)).toEqual(Array(bad.length).fill('bad_request'))

    // B lies: outcomes in its own log for a record of A's that A never asked it to relay, and for one A does not have.
    const fourth = await submit(a, 4)
    const forge = b.kiosk.store
      .connection()
      .prepare(
        "INSERT INTO post_log (kiosk_id, seq, kind, record_id, state, self_service, at, origin_kiosk_id) VALUES ('self', (SELECT max(seq) FROM post_log WHERE kiosk_id = 'self') + 1, 'relayed', ?, ?, 0, ?, ?)",
      )
    forge.run(fourth, 'accepted', new Date().toISOString(), a.kioskId)
    forge.run(uuid(77), 'rejected', new Date().toISOString(), a.kioskId)
    const rowBefore = q(a, 'SELECT state, rejection, accepted_at FROM registrations WHERE id = ?', fourth)
    const conn = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port: b.net!.port, source: 'config' })
    await a.kiosk.postLog.pull(conn)
    conn.close()
    expect(a.kiosk.relay.applyOutcomes()).toBe(0)
    expect(q(a, 'SELECT state, rejection, accepted_at FROM registrations WHERE id = ?', fourth)).toEqual(rowBefore)
    expect(a.kiosk.store.outbox().map((o) => o.recordId)).toEqual([fourth])
    expect(a.logger!.entries.filter((e) => e.message === 'relay: refused').map((e) => e.fields?.reason)).toEqual(['not_relayed', 'unknown_record'])
    // Looked at once: a second look neither applies nor logs them again.
    expect(a.kiosk.relay.applyOutcomes()).toBe(0)
    expect(a.logger!.entries.filter((e) => e.message === 'relay: refused')).toHaveLength(2)

    // An answer that is not one (a desk claiming to have taken a record A did not ask about): logged, A's asks and the
    // record's doubt flag as they were. The answering desk is a server with B's identity.
    const fifth = await submit(a, 5)
    a.kiosk.store.connection().prepare("INSERT INTO backup_given (record_id, kiosk_id, store_id, given_at) VALUES (?, ?, 's', ?)").run(fifth, b.kioskId, new Date().toISOString())
    const [fakePort] = await freePorts(1)
    const fake = await startPeerServer(channelDeps(b), async () => ({ taken: [fifth, uuid(5)] }), { host: '127.0.0.1', port: fakePort! })
    const toFake = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port: fakePort!, source: 'config' })
    const asksBefore = JSON.stringify(q(a, 'SELECT * FROM relay_asked'))
    expect(await a.kiosk.relay.ask(toFake)).toBe(0)
    toFake.close()
    await fake.close()
    expect(JSON.stringify(q(a, 'SELECT * FROM relay_asked'))).toBe(asksBefore)
    expect(a.kiosk.store.outbox().find((o) => o.recordId === fifth)?.inDoubt).toBe(false)
    expect(a.logger!.entries.filter((e) => e.message === 'relay: refused').map((e) => e.fields?.reason)).toEqual(['not_relayed', 'unknown_record', 'bad_answer'])

    // An outcome of a shape no relay writes (a purge, or one carrying a NIK HMAC) does not get past the page check.
    const page = (event: Record<string, unknown>) => ({ postId: SURABAYA.postId, kioskId: b.kioskId, events: [{ seq: 1, recordId: fourth, receiptNo: null, nikHmac: null, operatorId: null, selfService: false, at: new Date().toISOString(), ...event }] })
    const fault = (raw: unknown) => {
      try {
        checkPage(raw, { postId: SURABAYA.postId, kioskId: b.kioskId, after: 0 })
        return 'ok'
      } catch (error) {
        return error instanceof PageError ? error.fault : 'other'
      }
    }
    expect(fault(page({ kind: 'relayed', state: 'accepted', origin: a.kioskId }))).toBe('ok')
    expect(fault(page({ kind: 'relayed', state: 'purged', origin: a.kioskId }))).toBe('bad_page')
    expect(fault(page({ kind: 'relayed', state: 'accepted' }))).toBe('bad_page')
    expect(fault(page({ kind: 'relayed', state: 'accepted', origin: a.kioskId, nikHmac: Buffer.alloc(32).toString('base64') }))).toBe('bad_page')
    expect(fault(page({ kind: 'state', state: 'accepted', origin: a.kioskId }))).toBe('bad_page')
  }, 120_000)

  it('a desk of a later version: what this version does not know in its relay requests and answers is dropped; the records reach central once and show accepted at A', async () => {
    const { central, dataDir } = await testCentral()
    const NEW = 'FIELD-OF-A-LATER-VERSION'
    // Rounds by hand only. A, cut off from central, reaches B only through the link (B's own server; its relay
    // requests and answers carry fields this version does not know).
    const desks = await postDesks(central, SURABAYA.postId, 2, { roundMs: 3_600_000, deskStatus: { tickMs: 3_600_000 } })
    const [, b] = desks as [Desk, Desk]
    await cutUplink(desks[0]!)
    const [linkPort] = await freePorts(1)
    const a = reopenDesk(desks[0]!, { ...desks[0]!.net!, peers: [`127.0.0.1:${linkPort}`] })
    const link = await laterVersionLink(b, a, {
      target: b.net!.port,
      port: linkPort,
      request: (method, params) => (method === RELAY_ASK ? withFields(params, { since: NEW, priority: { note: NEW } }) : params),
      answer: (method, answer) => (method === RELAY_ASK ? withFields(answer, { since: NEW, queue: { note: NEW } }) : answer),
    })
    const ids = [await submit(a, 1), await submit(a, 2)].sort()
    await a.kiosk.uploader.runOnce()
    await b.kiosk.network.start()
    await a.kiosk.network.start()

    // One round: A gives B its records and asks B, once, to relay them; B takes them and posts them; the next round
    // brings the outcome, which A applies because it knows it asked B.
    await a.kiosk.network.mesh()!.round()
    expect(link.passed.get(RELAY_ASK)).toBe(1)
    await b.kiosk.relay.run()
    expect(ownRelayed(b).map((r) => [r.recordId, r.origin, r.state]).sort()).toEqual(ids.map((id) => [id, a.kioskId, 'accepted']))
    await a.kiosk.network.mesh()!.round()
    expect(a.kiosk.store.countInState('accepted')).toBe(2)
    expect(a.kiosk.store.outbox()).toEqual([])
    expect(onceEach(atCentral(dataDir, ids))).toBe(true)
    expect(a.logger!.entries.filter((e) => e.message.startsWith('relay: refused'))).toEqual([])
    // What this version did not know is nowhere: not in either desk's files or central's, not in what a desk logged.
    expectNowhere(NEW, [a, b], [dataDir])

    // A known field of the wrong type is still refused, whatever else the request carries, and changes nothing.
    const jobsBefore = JSON.stringify(q(b, 'SELECT * FROM relay_jobs'))
    const asA = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port: b.net!.port, source: 'config' })
    const bad = [{ recordIds: ids[0], since: NEW }, { recordIds: [ids[0], 5], since: NEW }, { recordIds: [{ id: ids[0] }] }]
    for (const params of bad) expect(await asA.request(RELAY_ASK, params).then((answer) => answer, (e: { reason?: string }) => e.reason)).toBe('bad_request')
    asA.close()
    expect(JSON.stringify(q(b, 'SELECT * FROM relay_jobs'))).toBe(jobsBefore)
    expect(b.logger!.entries.filter((e) => e.message === 'relay: refused').map((e) => e.fields?.reason)).toEqual(['bad_request', 'bad_request', 'bad_request'])
  }, 60_000)
})
