import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { damagePage } from '../fixtures/damage-page'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { freePorts } from '../fixtures/ports'
import { SURABAYA } from '../central/testkit'
import { openKiosk, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, enrolDesk, eventually, expectNowhere, laterVersionLink, postDesks, reopenDesk, withBundleFields, withFields } from './network-kit'
import { connectToPeer } from '../../main/services/network/channel'
import { BACKUP_FETCH } from '../../main/services/network/restore'

/**
 * Issue 22.4: a desk dies with records central never saw; it is reinstalled and enrolled again to the same post (a
 * new kiosk id), fetches its old self's sealed bundles from the other desks and sends them to central, which takes
 * every record once. Real desks, the reference central, mutual TLS on loopback.
 */
/** Registers one record at `desk` for each NIK number, in turn: their record ids. */
async function submitted(desk: Desk, niks: number[]): Promise<string[]> {
  const ids: string[] = []
  for (const n of niks) {
    const r = (await desk.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(n) }) })) as { ok: boolean; value: { id: string } }
    expect(r.ok).toBe(true)
    ids.push(r.value.id)
  }
  return ids
}
const heldCount = (desk: Desk, origin: string) =>
  desk.kiosk.store.connection().prepare('SELECT count(*) FROM backup_held WHERE origin_kiosk_id = ?').pluck().get(origin) as number

describe('restoring a desk', () => {
  it('a reinstalled desk gets back every unaccepted record of its old self from its peers, and central holds each once', async () => {
    const { central, client, dataDir } = await testCentral()
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 3000 })
    const [a, b, c] = desks as [Desk, Desk, Desk]
    for (const desk of desks) await desk.kiosk.network.start()
    const ids = await submitted(a, [1, 2, 3])
    await eventually(() => heldCount(b, a.kioskId) === 3 && heldCount(c, a.kioskId) === 3, 10_000, 'B and C hold A\'s records')

    // A's disk dies: its data directory is gone.
    a.close()
    rmSync(a.dataDir, { recursive: true, force: true })
    for (const id of ids) expect((await client.getRegistration(id)).status).toBe(404)

    // Reinstalled and enrolled again (a new kiosk id); B and C learn it from their next heartbeat's roster.
    const [port] = await freePorts(1)
    const fresh = await enrolDesk(central, SURABAYA.postId, { port: port!, peers: [b, c].map((d) => `127.0.0.1:${d.net!.port}`), roundMs: 100, goneAfterMs: 3000 })
    expect(fresh.kioskId).not.toBe(a.kioskId)
    for (const desk of [b, c]) expect(await desk.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    await fresh.kiosk.network.start()
    await eventually(() => (fresh.kiosk.network.mesh()?.connected().length ?? 0) === 2, 10_000, 'the new desk connected to B and C')

    const restored = await fresh.kiosk.call('backup.restore', { kioskId: a.kioskId })
    expect(restored).toEqual({ ok: true, value: { kioskId: a.kioskId, desks: 2, records: 3, accepted: 3, duplicate: 0, rejected: 0, failed: 0 } })
    for (const id of ids) expect((await client.getRegistration(id)).status).toBe(200)
    // A supervisor sees what was restored: in the answer, and in the audit log.
    const audit = fresh.kiosk.audit.list({}).filter((row) => row.action === 'restore_desk')
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ kioskId: a.kioskId, records: 3, accepted: 3 })

    // A fetch that is not one is refused with a typed code and changes nothing at B.
    const heldBefore = heldCount(b, a.kioskId)
    const asFresh = await connectToPeer(channelDeps(fresh), { host: '127.0.0.1', port: b.net!.port, source: 'config' })
    for (const params of [{ origin: a.kioskId }, { origin: '../etc', after: null }, { origin: a.kioskId, after: 5, limit: 1e9 }, null]) {
      expect(await asFresh.request('backup.fetch', params).then(() => 'ok', (e: { reason?: string }) => e.reason)).toBe('bad_request')
    }
    // A field this version does not know is dropped, not obeyed: the page is the one asked without it.
    const page = await asFresh.request('backup.fetch', { origin: a.kioskId, after: null })
    expect(await asFresh.request('backup.fetch', { origin: a.kioskId, after: null, limit: 1e9 })).toEqual(page)
    asFresh.close()
    expect(heldCount(b, a.kioskId)).toBe(heldBefore)

    // Again (the copies at the desks are still there until their retention days): central dedups by record id and
    // answers a record it holds with its earlier answer; it still holds each once.
    const again = (await fresh.kiosk.call('backup.restore', { kioskId: a.kioskId })) as { ok: true; value: { records: number; accepted: number; duplicate: number; rejected: number } }
    expect(again.value).toMatchObject({ records: 3, rejected: 0 })
    expect(again.value.accepted + again.value.duplicate).toBe(3)
    const centralDb = new Database(join(dataDir, 'central.sqlite'), { readonly: true })
    for (const id of ids) expect(centralDb.prepare('SELECT count(*) FROM registrations WHERE record_id = ?').pluck().get(id)).toBe(1)
    centralDb.close()
  })

  it('a database page overwritten on disk: the store is moved aside at start, and the desk gets its records back from a peer', async () => {
    const { central, client } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2, { roundMs: 100, goneAfterMs: 3000 })) as [Desk, Desk]
    for (const desk of [a, b]) await desk.kiosk.network.start()
    const ids = await submitted(a, [11, 12, 13])
    await eventually(() => heldCount(b, a.kioskId) === 3, 10_000, "B holds A's records")
    a.close()

    // The registrations' root page overwritten: start-up trips over it and moves the database aside intact.
    const file = join(a.dataDir, 'posko.db')
    damagePage(file, 'registrations')

    // IT enrols the desk again on the same data folder: a fresh store, not enrolled, no records.
    const it = openKiosk({ dataDir: a.dataDir, config: { postId: SURABAYA.postId }, role: 'it' })
    expect(await it.kiosk.call('store.health', undefined)).toMatchObject({ ok: true, value: { state: 'moved_aside' } })
    expect(it.kiosk.store.count('registrations')).toBe(0)
    const enrolled = (await it.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code })) as {
      ok: boolean
      value: { kioskKeyId: string }
    }
    expect(enrolled.ok).toBe(true)
    it.close()
    const [port] = await freePorts(1)
    const back = reopenDesk({ dataDir: a.dataDir, kioskId: enrolled.value.kioskKeyId, postId: SURABAYA.postId }, { port: port!, peers: [`127.0.0.1:${b.net!.port}`], roundMs: 100, goneAfterMs: 3000 })
    expect(await b.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    await back.kiosk.network.start()
    await eventually(() => (back.kiosk.network.mesh()?.connected().length ?? 0) === 1, 10_000, 'the desk connected to B again')
    for (const id of ids) expect((await client.getRegistration(id)).status).toBe(404)

    const restored = await back.kiosk.call('backup.restore', { kioskId: a.kioskId })
    expect(restored).toMatchObject({ ok: true, value: { desks: 1, records: 3, accepted: 3, failed: 0 } })
    for (const id of ids) expect((await client.getRegistration(id)).status).toBe(200)
  })

  it('a desk of a later version: what this version does not know in its fetch requests and answers is dropped; the records are restored, each once', async () => {
    const { central, client, dataDir } = await testCentral()
    const NEW = 'FIELD-OF-A-LATER-VERSION'
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2, { roundMs: 100, goneAfterMs: 3000 })) as [Desk, Desk]
    for (const desk of [a, b]) await desk.kiosk.network.start()
    const ids = await submitted(a, [41, 42, 43])
    await eventually(() => heldCount(b, a.kioskId) === 3, 10_000, "B holds A's records")
    a.close()
    rmSync(a.dataDir, { recursive: true, force: true })

    // Reinstalled, it reaches B only through the link (B's own server; its fetch requests and answers carry fields
    // this version does not know, beside the page and in each bundle).
    const [port, linkPort] = await freePorts(2)
    const fresh = await enrolDesk(central, SURABAYA.postId, { port: port!, peers: [`127.0.0.1:${linkPort}`], roundMs: 100, goneAfterMs: 3000 })
    expect(await b.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    const link = await laterVersionLink(b, fresh, {
      target: b.net!.port,
      port: linkPort,
      request: (method, params) => (method === BACKUP_FETCH ? withFields(params, { since: NEW, limit: 1 }) : params),
      answer: (method, answer) => (method === BACKUP_FETCH ? withBundleFields(answer, { since: NEW }, { sealedBy: NEW }) : answer),
    })
    await fresh.kiosk.network.start()
    await eventually(() => (fresh.kiosk.network.mesh()?.connected().length ?? 0) === 1, 10_000, 'the new desk connected to B')

    const restored = await fresh.kiosk.call('backup.restore', { kioskId: a.kioskId })
    expect(restored).toEqual({ ok: true, value: { kioskId: a.kioskId, desks: 1, records: 3, accepted: 3, duplicate: 0, rejected: 0, failed: 0 } })
    // One page (B's `limit: 1`, unknown to it, was not obeyed).
    expect(link.passed.get(BACKUP_FETCH)).toBe(1)
    for (const id of ids) expect((await client.getRegistration(id)).status).toBe(200)
    expectNowhere(NEW, [fresh, b], [dataDir])
  })
})
