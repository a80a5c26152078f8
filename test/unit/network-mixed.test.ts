import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { PairingView, PostOverviewView } from '../../common/network'
import type { PeerConnection } from '../../main/services/network/channel'
import { connectToPeer, startPeerServer } from '../../main/services/network/channel'
import { createSkippedEvents } from '../../main/services/network/log-skipped'
import type { LogDialect } from '../../main/services/network/log-wire'
import { DIALECT, FIELD_DIALECT, PageError, readPage } from '../../main/services/network/log-wire'
import { createPeerList } from '../../main/services/network/peers'
import { createPostLogSync } from '../../main/services/network/post-log'
import { pairedKioskId } from '../../main/services/network/trust'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createVault } from '../../main/services/security/vault'
import { createPostLogRepository } from '../../main/services/store/post-log'
import { createSettingsRepository } from '../../main/services/store/settings'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { SURABAYA } from '../central/testkit'
import { freePorts } from '../fixtures/ports'
import { openKiosk, tempDir, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, postDesks, reopenDesk } from './network-kit'

/**
 * Desks of one post running different versions (design notes, "Mixed versions at a post"). Two real desks enrolled to
 * the reference central, over real TLS. A version is modelled by the one thing that differs between versions of the
 * post log's wire: which kinds and fields it reads and how it asks (`LogDialect`), given to a sync running on the
 * desk's own database. The version of migrations 015–016 read every kind but 'relayed' (017) and asked `{ after,
 * limit }`, strictly: it is the older desk here, against A's log holding a relay outcome.
 */
const READS_015 = { kinds: ['registered', 'nik', 'state', 'resolved', 'desk'], fields: ['keptId', 'queueDepth'] } as const satisfies Pick<LogDialect, 'kinds' | 'fields'>
/** The 015–016 version as it was: old request shape, strict, no placeholders. */
const VERSION_015: LogDialect = { ...READS_015, says: false, strictRequests: true }
/** A version that says what it reads (this one's way) but does not read relay outcomes yet. */
const SAYS_WITHOUT_RELAYED: LogDialect = { ...READS_015, says: true, strictRequests: false }

/** A post log sync of the given version on a desk's own database (its network not started: driven by hand). */
function syncOf(desk: Desk, options: { dialect?: LogDialect; oldAsker?: Pick<LogDialect, 'kinds' | 'fields'> } = {}) {
  const db = desk.kiosk.store.connection()
  const logger = createMemoryLogger()
  const peers = createPeerList({ logger, now: () => new Date() })
  const sync = createPostLogSync({
    repo: createPostLogRepository(db),
    trust: desk.kiosk.postTrust,
    // Only the post NIK fill opens records, and these tests do not run it.
    vault: createVault(randomBytes(32)),
    postId: desk.postId,
    kioskId: () => desk.kioskId,
    peers,
    logger,
    now: () => new Date(),
    settings: createSettingsRepository(db),
    ...options,
  })
  return { sync, logger, peers }
}

/** A's log serving on real TLS through `serve`; B connected to it. Requests are recorded. */
async function serving(a: Desk, b: Desk, serve: (params: unknown) => unknown) {
  const asked: unknown[] = []
  const server = await startPeerServer(
    channelDeps(a),
    async (method, params) => {
      expect(method).toBe('log.page')
      asked.push(params)
      return serve(params)
    },
    { host: '127.0.0.1', port: 0 },
  )
  const connect = (): Promise<PeerConnection> => connectToPeer(channelDeps(b), { host: '127.0.0.1', port: server.port, source: 'config' })
  return { asked, connect, close: () => server.close() }
}

const rows = (desk: Desk, kioskId: string) =>
  desk.kiosk.store
    .connection()
    .prepare('SELECT seq, kind, self_service AS selfService, queue_depth AS queueDepth, origin_kiosk_id AS origin FROM post_log WHERE kiosk_id = ? ORDER BY seq')
    .all(kioskId) as Array<{ seq: number; kind: string; selfService: number; queueDepth: number | null; origin: string | null }>

/** A's log: a registration, a desk status (queue 1), a relay outcome (017) for B's record, another registration. */
async function mixedLog(a: Desk, b: Desk) {
  expect(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(1) }) })).toMatchObject({ ok: true })
  expect(a.kiosk.deskStatus.tick()).toBe(true)
  relayed(a, b)
  expect(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(2) }) })).toMatchObject({ ok: true })
  expect(rows(a, 'self').map((r) => r.kind)).toEqual(['registered', 'desk', 'relayed', 'registered'])
}

/** A relay outcome in A's own log, as A's relay writes one after posting B's record (store/relay.ts's insert). */
function relayed(a: Desk, b: Desk) {
  a.kiosk.store
    .connection()
    .prepare(
      "INSERT INTO post_log (kiosk_id, seq, kind, record_id, state, self_service, at, origin_kiosk_id) VALUES ('self', (SELECT max(seq) FROM post_log WHERE kiosk_id = 'self') + 1, 'relayed', ?, 'accepted', 0, ?, ?)",
    )
    .run(randomUUID(), new Date().toISOString(), b.kioskId)
}

describe('desks of one post on different versions', () => {
  it('a desk that does not read a kind gets it as a placeholder, replicates everything after it, and reads it once updated', async () => {
    const { central } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2)) as [Desk, Desk]
    await mixedLog(a, b)
    // A runs this version (its real `log.page`); B a version that says what it reads, without relay outcomes.
    const net = await serving(a, b, (params) => a.kiosk.postLog.serve(params))
    const older = syncOf(b, { dialect: SAYS_WITHOUT_RELAYED })
    const connection = await net.connect()
    expect(await older.sync.pull(connection)).toBe(3)
    expect(net.asked).toEqual([{ after: 0, limit: 100, kinds: READS_015.kinds, fields: READS_015.fields }])
    expect(rows(b, a.kioskId).map((r) => [r.seq, r.kind])).toEqual([[1, 'registered'], [2, 'desk'], [4, 'registered']])
    // What came after the skipped event is known at B: the NIK step's post-wide check finds the second registration.
    expect(b.kiosk.postLog.otherDesks(nikFor(2))).toEqual([expect.objectContaining({ kioskId: a.kioskId })])
    expect(older.sync.firstSkipped(a.kioskId)).toBe(3)
    expect(older.peers.list()).toEqual([])

    // A log ending in a skipped event is not asked again from before it.
    relayed(a, b)
    expect(await older.sync.pull(connection)).toBe(0)
    expect(await older.sync.pull(connection)).toBe(0)
    expect(net.asked.slice(1).map((p) => (p as { after: number }).after)).toEqual([4, 5])
    connection.close()

    // B updated (this version, on the same database): the skipped outcomes are asked again and stored; nothing twice.
    const updated = syncOf(b)
    const again = await net.connect()
    expect(await updated.sync.pull(again)).toBe(2)
    expect(rows(b, a.kioskId).map((r) => [r.seq, r.kind])).toEqual([[1, 'registered'], [2, 'desk'], [3, 'relayed'], [4, 'registered'], [5, 'relayed']])
    expect(rows(b, a.kioskId).filter((r) => r.kind === 'relayed').map((r) => r.origin)).toEqual([b.kioskId, b.kioskId])
    expect(updated.sync.firstSkipped(a.kioskId)).toBeNull()
    // Caught up: the next pull asks after the last event and stores nothing.
    expect(await updated.sync.pull(again)).toBe(0)
    expect(net.asked.at(-1)).toMatchObject({ after: 5 })
    again.close()
    await net.close()
  })

  it('a desk of an older version asking the old way is served what it reads, the rest disguised as a desk status', async () => {
    const { central } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2)) as [Desk, Desk]
    await mixedLog(a, b)
    const queue = rows(a, 'self')[1]!.queueDepth
    // A runs this version and reads an old-shaped request as coming from the 015–016 version (in the field today it
    // is the version before this one: FIELD_DIALECT, which reads every kind A writes).
    const serverA = syncOf(a, { oldAsker: READS_015 })
    const net = await serving(a, b, (params) => serverA.sync.serve(params, { kioskId: b.kioskId, name: 'Meja 2' }))
    const old = syncOf(b, { dialect: VERSION_015 })
    const connection = await net.connect()
    expect(await old.sync.pull(connection)).toBe(4)
    expect(net.asked).toEqual([{ after: 0, limit: 100 }])
    // The outcome went as a status with A's last queue depth, marked (a later version can tell it and ask again).
    expect(rows(b, a.kioskId)).toEqual([
      { seq: 1, kind: 'registered', selfService: 0, queueDepth: null, origin: null },
      { seq: 2, kind: 'desk', selfService: 0, queueDepth: queue, origin: null },
      { seq: 3, kind: 'desk', selfService: 1, queueDepth: queue, origin: null },
      { seq: 4, kind: 'registered', selfService: 0, queueDepth: null, origin: null },
    ])
    expect(b.kiosk.postLog.otherDesks(nikFor(2))).toEqual([expect.objectContaining({ kioskId: a.kioskId })])
    // B's home panel reads A's queue as A reported it.
    const post = (await b.kiosk.call('network.post')) as { ok: true; value: { post: PostOverviewView } }
    expect(post.value.post.desks.find((d) => d.kioskId === a.kioskId)?.queueDepth).toBe(queue)
    expect(serverA.logger.entries.filter((e) => e.message.includes('older version')).map((e) => e.fields?.kioskId)).toEqual([b.kioskId])
    connection.close()

    // The defect this mends: served as the versions before this one served (every event), the old desk refuses the
    // page with the outcome and never gets past it.
    const fieldA = syncOf(a, { dialect: FIELD_DIALECT })
    const stalled = await serving(a, b, (params) => fieldA.sync.serve(params))
    b.kiosk.store.connection().prepare('DELETE FROM post_log WHERE kiosk_id = ?').run(a.kioskId)
    const toStalled = await stalled.connect()
    for (let i = 0; i < 2; i++) expect(await old.sync.pull(toStalled).catch(() => 0)).toBe(0)
    expect(rows(b, a.kioskId)).toEqual([])
    toStalled.close()
    await stalled.close()
    await net.close()
  })

  it('a paired desk\'s log filed under central\'s id keeps what it skipped, and is asked for it once updated', async () => {
    // Two desks of a post that never reached central pair by code (real TLS, each its own port and certificate).
    const ports = await freePorts(2)
    const paired = [0, 1].map((i) =>
      openKiosk({
        config: { postId: SURABAYA.postId, network: { port: ports[i]!, mdns: false, peers: [`127.0.0.1:${ports[1 - i]}`] } },
        role: 'supervisor',
        network: { host: '127.0.0.1', port: ports[i]!, mdns: false, roundMs: 100, goneAfterMs: 2000 },
      }),
    )
    for (const d of paired) await d.kiosk.network.start()
    const started = (await paired[0]!.kiosk.call('network.pairStart', { address: `127.0.0.1:${ports[1]}` })) as { ok: true; value: PairingView }
    expect(await paired[0]!.kiosk.call('network.pairConfirm', { sessionId: started.value.session!.id, match: true })).toMatchObject({ ok: true })
    expect(await paired[1]!.kiosk.call('network.pairConfirm', { sessionId: paired[1]!.kiosk.pairing.view().session!.id, match: true })).toMatchObject({ ok: true })
    await paired[0]!.kiosk.pairing.settled()
    const fingerprints = await Promise.all(paired.map(async (d) => (await d.kiosk.postTrust.identity()).certSha256))
    for (const d of paired) expect(d.kiosk.postTrust.pairings()).toHaveLength(1)
    for (const d of paired) d.close()
    // Reopened without their network, so B's pulls are the ones driven here; each is known by its fingerprint id.
    const [a, b] = [0, 1].map((i) => reopenDesk({ dataDir: paired[i]!.dataDir, kioskId: pairedKioskId(fingerprints[i]!), postId: SURABAYA.postId })) as [Desk, Desk]
    await mixedLog(a, b)

    // B runs a version that does not read relay outcomes: A's is skipped under A's fingerprint id.
    const net = await serving(a, b, (params) => a.kiosk.postLog.serve(params))
    const older = syncOf(b, { dialect: SAYS_WITHOUT_RELAYED })
    const connection = await net.connect()
    expect(await older.sync.pull(connection)).toBe(3)
    expect(older.sync.firstSkipped(a.kioskId)).toBe(3)
    connection.close()
    await net.close()

    // Both reach central (IT enrols each; the app restarts), and B is updated meanwhile (its kiosk runs this version).
    const { central } = await testCentral()
    const ids: string[] = []
    for (const [i, desk] of [a, b].entries()) {
      desk.close()
      const it = openKiosk({ dataDir: desk.dataDir, config: { postId: SURABAYA.postId }, role: 'it' })
      const enrolled = (await it.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code })) as { ok: true; value: { kioskKeyId: string } }
      ids[i] = enrolled.value.kioskKeyId
      it.close()
    }
    const [ra, rb] = [a, b].map((d, i) => reopenDesk({ dataDir: d.dataDir, kioskId: ids[i]!, postId: SURABAYA.postId })) as [Desk, Desk]
    for (const d of [ra, rb]) expect(await d.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    // A's log is under central's id at B, and so is what was skipped of it.
    expect(rows(rb, a.kioskId)).toEqual([])
    expect(rows(rb, ids[0]!).map((r) => [r.seq, r.kind])).toEqual([[1, 'registered'], [2, 'desk'], [4, 'registered']])
    expect(rb.kiosk.postLog.firstSkipped(ids[0]!)).toBe(3)
    expect(rb.kiosk.postLog.firstSkipped(a.kioskId)).toBeNull()
    // A rename refused (onto this desk's own log) moves nothing, the skipped record included.
    expect(() => rb.kiosk.postLog.renameLog(ids[0]!, 'self')).toThrow()
    expect(rb.kiosk.postLog.firstSkipped(ids[0]!)).toBe(3)
    expect(rows(rb, ids[0]!)).toHaveLength(3)

    // The updated B asks A again from the skipped outcome and stores it; nothing twice.
    const after = await serving(ra, rb, (params) => ra.kiosk.postLog.serve(params))
    const again = await after.connect()
    await rb.kiosk.postLog.pull(again)
    const held = rows(rb, ids[0]!)
    expect(held.slice(0, 4).map((r) => [r.seq, r.kind])).toEqual([[1, 'registered'], [2, 'desk'], [3, 'relayed'], [4, 'registered']])
    expect(held.map((r) => r.seq)).toEqual(rows(ra, 'self').map((r) => r.seq))
    expect(rb.kiosk.postLog.firstSkipped(ids[0]!)).toBeNull()
    again.close()
    await after.close()
  })

  it('the skipped record of a log filed under another id: merged with one held there, dropped with a dropped copy', () => {
    const db = new Database(join(tempDir(), 'settings.db'))
    db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)')
    const settings = createSettingsRepository(db)
    const now = () => new Date()
    // Skipped under the version before (not reading relay outcomes) under the old id, under this one under the new.
    const before = createSkippedEvents({ settings, dialect: SAYS_WITHOUT_RELAYED, now })
    before.skipped('old', [7, 9])
    before.skipped('gone', [3])
    const skipped = createSkippedEvents({ settings, dialect: DIALECT, now })
    skipped.skipped('new', [12])
    skipped.renamed('old', 'new', false)
    // The pull goes on after the later place; the refill starts at the earlier skip, read under the older version.
    expect([skipped.through('new'), skipped.firstSkipped('new'), skipped.refillAt('new')]).toEqual([12, 7, 6])
    expect([skipped.through('old'), skipped.firstSkipped('old')]).toEqual([0, null])
    // The new id held events: the old copy was dropped and the new id's own pull covers the log, so its record goes.
    skipped.renamed('gone', 'new', true)
    expect(skipped.firstSkipped('gone')).toBeNull()
    expect(skipped.firstSkipped('new')).toBe(7)
    // Written in the row: a restart reads the same.
    const reread = createSkippedEvents({ settings, dialect: DIALECT, now })
    expect([reread.through('new'), reread.firstSkipped('new'), reread.firstSkipped('old'), reread.firstSkipped('gone')]).toEqual([12, 7, null, null])
    db.close()
  })

  it('this version asks a desk of the versions before it the old way, and is asked by one', async () => {
    const { central } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2)) as [Desk, Desk]
    await mixedLog(a, b)
    // A runs the version before this one: it refuses a request field it does not know (`bad_request`).
    const fieldA = syncOf(a, { dialect: FIELD_DIALECT })
    const net = await serving(a, b, (params) => fieldA.sync.serve(params))
    const connection = await net.connect()
    expect(await b.kiosk.postLog.pull(connection)).toBe(4)
    expect(net.asked).toEqual([{ after: 0, limit: 100, kinds: DIALECT.kinds, fields: DIALECT.fields }, { after: 0, limit: 100 }])
    expect(rows(b, a.kioskId).map((r) => r.kind)).toEqual(['registered', 'desk', 'relayed', 'registered'])
    expect(b.logger!.entries.filter((e) => e.message.includes('older version')).map((e) => e.fields?.kioskId)).toEqual([a.kioskId])
    // On this connection it asks the old way straight away.
    expect(await b.kiosk.postLog.pull(connection)).toBe(0)
    expect(net.asked.at(-1)).toEqual({ after: 4, limit: 100 })
    connection.close()
    await net.close()

    // The other way: A of the version before asks B's real `log.page` the old way and reads all of it.
    expect(await b.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(3) }) })).toMatchObject({ ok: true })
    relayed(b, a)
    const back = await serving(b, a, (params) => b.kiosk.postLog.serve(params, { kioskId: a.kioskId, name: 'Meja 1' }))
    const toB = await back.connect()
    expect(await fieldA.sync.pull(toB)).toBe(2)
    expect(rows(a, b.kioskId).map((r) => r.kind)).toEqual(['registered', 'relayed'])
    expect(b.logger!.entries.filter((e) => e.message.includes('asks in the old shape')).map((e) => e.fields?.kioskId)).toEqual([a.kioskId])
    toB.close()
    await back.close()
  })

  it('a page with a kind this desk does not read is listed as "update this desk", keeps the connection, stores nothing', async () => {
    const { central } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2)) as [Desk, Desk]
    const at = new Date().toISOString()
    const registered = { seq: 1, kind: 'registered', recordId: randomUUID(), receiptNo: 'R-1', nikHmac: null, state: null, operatorId: 'sup-1', selfService: false, at }
    const page = (events: unknown[]) => ({ postId: SURABAYA.postId, kioskId: a.kioskId, events })
    // A newer desk that sends a kind of its own to this one (as the versions before this one sent everything).
    const net = await serving(a, b, () => page([registered, { ...registered, seq: 2, kind: 'enrolled' }]))
    const connection = await net.connect()
    expect(await b.kiosk.postLog.pull(connection)).toBe(0)
    expect(connection.closed).toBe(false)
    expect(rows(b, a.kioskId)).toEqual([])
    expect(b.kiosk.network.peers()).toContainEqual(expect.objectContaining({ state: 'refused', reason: 'newer_log', certSha256: expect.any(String) }))
    expect(b.logger!.entries.filter((e) => e.message.includes('update this desk'))).toHaveLength(1)
    expect(await b.kiosk.postLog.pull(connection)).toBe(0)
    expect(b.logger!.entries.filter((e) => e.message.includes('update this desk'))).toHaveLength(1)
    connection.close()
    await net.close()

    // Placeholders carry their place and kind only, and only to a desk that said what it reads.
    const expected = { postId: SURABAYA.postId, kioskId: a.kioskId, after: 0 }
    const fault = (raw: unknown, dialect: LogDialect = DIALECT) => {
      try {
        return readPage(raw, expected, dialect)
      } catch (error) {
        return error instanceof PageError ? error.fault : 'other'
      }
    }
    expect(fault(page([{ seq: 1, skipped: 'enrolled' }, registered]))).toBe('wrong_sequence')
    expect(fault(page([{ seq: 1, skipped: 'enrolled' }, { ...registered, seq: 2 }]))).toMatchObject({ skipped: [{ seq: 1, skipped: 'enrolled' }], through: 2, length: 2 })
    expect(fault(page([{ seq: 1, skipped: 'enrolled', fullName: 'SITI' }]))).toBe('bad_page')
    expect(fault(page([{ seq: 1, skipped: 'enrolled', nikHmac: Buffer.alloc(32).toString('base64') }]))).toBe('bad_page')
    expect(fault(page([{ seq: 1, skipped: 'Siti Aminah binti Umar' }]))).toBe('bad_page')
    expect(fault(page([{ seq: 1, skipped: 'enrolled' }]), VERSION_015)).toBe('bad_page')
    // An unknown field is not a version matter: it could carry anything.
    expect(fault(page([{ ...registered, fullName: 'SITI' }]))).toBe('bad_page')
    expect(fault(page([{ ...registered, kind: 'enrolled' }]))).toBe('newer_log')
  })
})
