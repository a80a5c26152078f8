import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { PairingView } from '../../common/network'
import { ChannelError, connectToPeer } from '../../main/services/network/channel'
import { commitment, commitmentHolds, pairingCode } from '../../main/services/network/pairing-code'
import { SURABAYA } from '../central/testkit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { freePorts } from '../fixtures/ports'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { pairedKioskId } from '../../main/services/network/trust'
import type { PostOverviewView } from '../../common/network'
import { openKiosk, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, eventually, expectNowhere, laterVersionLink, reopenDesk, withFields } from './network-kit'

/**
 * Issue 21.1, pairing by short code: three real kiosks that never reached central (no enrolment, no roster), each
 * its own data dir, TLS certificate and port on 127.0.0.1, IT's addresses configured (mDNS is network-mdns's).
 * A and B pair when both supervisors confirm the same code; then a NIK registered at A is refused at B. C, a third
 * desk of the same post with its own certificate, gets nothing from B; a code refused at one desk, or confirmed at
 * only one, pairs nothing.
 */
const ok = <T>(answer: unknown): T => {
  expect(answer).toMatchObject({ ok: true })
  return (answer as { value: T }).value
}

/**
 * A's supervisor starts pairing with the desk at `address` (B, or a way to it); B's screen shows the same code, and
 * both supervisors confirm it. Returns when A's session has settled.
 */
async function pairedByCode(a: Pick<Desk, 'kiosk'>, b: Pick<Desk, 'kiosk'>, address: string): Promise<void> {
  const started = ok<PairingView>(await a.kiosk.call('network.pairStart', { address }))
  const atB = b.kiosk.pairing.view().session!
  expect(atB).toMatchObject({ role: 'responder', state: 'compare', code: started.session!.code })
  ok(await a.kiosk.call('network.pairConfirm', { sessionId: started.session!.id, match: true }))
  ok(await b.kiosk.call('network.pairConfirm', { sessionId: atB.id, match: true }))
  await a.kiosk.pairing.settled()
}

describe('pairing desks by a short code (a post that never reached central)', () => {
  it('A and B pair when both supervisors confirm the same code, and a NIK registered at A is refused at B; C cannot ride on it; a refused or one-sided code pairs nothing', async () => {
    const ports = await freePorts(3)
    const open = (i: number): Desk => {
      const peers = ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`)
      const opened = openKiosk({
        config: { postId: SURABAYA.postId, network: { port: ports[i]!, mdns: false, peers } },
        role: 'supervisor',
        network: { host: '127.0.0.1', port: ports[i]!, mdns: false, roundMs: 100, goneAfterMs: 2000 },
      })
      return { kiosk: opened.kiosk, dataDir: opened.dataDir, kioskId: '', postId: SURABAYA.postId, close: opened.close }
    }
    // Closed after the test by helpers' cleanups.
    const [a, b, c] = [open(0), open(1), open(2)] as [Desk, Desk, Desk]
    for (const desk of [a, b, c]) expect(await desk.kiosk.network.start()).toBeGreaterThan(0)
    const address = (i: number) => `127.0.0.1:${ports[i]}`
    const view = async (desk: Desk) => ok<PairingView>(await desk.kiosk.call('network.pairing'))
    const actions = (desk: Desk) => desk.kiosk.audit.list().map((r) => r.action).filter((x) => x.startsWith('pair_'))

    {
      // Before: B is waiting to pair at A; no roster, no post key; B refuses A's log pull.
      expect((await view(a)).waiting.map((w) => w.address)).toContain(address(1))
      expect(a.kiosk.postTrust.roster()).toBeNull()
      expect(a.kiosk.postTrust.postKey()).toBeNull()

      const started = ok<PairingView>(await a.kiosk.call('network.pairStart', { address: address(1) }))
      const atA = started.session!
      expect(atA).toMatchObject({ role: 'initiator', state: 'compare', code: expect.stringMatching(/^\d{6}$/), confirmed: false })
      const atB = (await view(b)).session!
      expect(atB).toMatchObject({ role: 'responder', state: 'compare', code: atA.code })
      // Each screen names the other desk by its certificate.
      expect(atA.peerSha256).toBe((await b.kiosk.postTrust.identity()).certSha256)
      expect(atB.peerSha256).toBe((await a.kiosk.postTrust.identity()).certSha256)

      // A's supervisor confirms first: nothing is paired until B's does.
      ok(await a.kiosk.call('network.pairConfirm', { sessionId: atA.id, match: true }))
      await new Promise((r) => setTimeout(r, 700))
      expect(a.kiosk.postTrust.pairings()).toEqual([])
      expect(b.kiosk.postTrust.pairings()).toEqual([])
      expect((await view(a)).session).toMatchObject({ state: 'waiting', confirmed: true })
      ok(await b.kiosk.call('network.pairConfirm', { sessionId: atB.id, match: true }))
      await a.kiosk.pairing.settled()
      for (const [desk, other] of [[a, b], [b, a]] as const) {
        expect((await view(desk)).session).toMatchObject({ state: 'paired' })
        expect(desk.kiosk.postTrust.pairings().map((p) => p.certSha256)).toEqual([(await other.kiosk.postTrust.identity()).certSha256])
        expect(actions(desk)).toEqual(['pair_desk'])
      }
      // One post key on both, agreed inside the channel.
      expect(a.kiosk.postTrust.postKey()).toHaveLength(32)
      expect(a.kiosk.postTrust.postKey()!.equals(b.kiosk.postTrust.postKey()!)).toBe(true)

      // Now the desks work as one: registered at A, refused at B's NIK step, naming A and the receipt.
      const nik = nikFor(21)
      const submitted = ok<{ receiptNo: string }>(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik }) }))
      await eventually(() => b.kiosk.postLog.otherDesks(nik).length > 0, 8000, 'A\'s registration known at B')
      const deskA = b.kiosk.postTrust.roster()!.kiosks.find((k) => k.certSha256 === atB.peerSha256)!.name
      expect(ok(await b.kiosk.call('registration.checkNik', { nik, source: 'desk' }))).toEqual({
        source: 'desk',
        found: 'this_post',
        receiptNo: submitted.receiptNo,
        registeredAt: expect.any(String),
        state: 'queued',
        desk: deskA,
      })
    }

    // C, a third desk of the post with its own certificate, cannot ride on the pairing.
    {
      // C's stranger connection to B is heard for pairing only: B's log is refused to it.
      const cDeps = { ...channelDeps(c), kioskId: () => c.kiosk.postTrust.localKioskId() }
      const asStranger = await connectToPeer(cDeps, { host: '127.0.0.1', port: ports[1]!, source: 'config' }, 'pairing')
      const refused = await asStranger.request('log.page', { after: 0, limit: 500 }).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(ChannelError)
      expect((refused as ChannelError).code).toBe('refused_by_peer')
      // Finishing A's pairing in its place: there is no session for C's certificate.
      const again = await connectToPeer(cDeps, { host: '127.0.0.1', port: ports[1]!, source: 'config' }, 'pairing')
      const finish = await again.request('pair.finish', { postKey: randomBytes(32).toString('base64') }).catch((e: unknown) => e)
      expect((finish as ChannelError).reason).toBe('not_confirmed')
      again.close()
      // As a desk it is refused; B's peer list says why; C holds nothing of A's or B's.
      await expect(connectToPeer(cDeps, { host: '127.0.0.1', port: ports[1]!, source: 'config' })).rejects.toThrow(ChannelError)
      await eventually(() => b.kiosk.network.peers().some((p) => p.state === 'refused' && p.reason === 'unknown' && p.address.startsWith('127.0.0.1')), 4000, 'C refused at B')
      expect(c.kiosk.postTrust.postKey()).toBeNull()
      expect(c.kiosk.postLog.otherDesks(nikFor(21))).toEqual([])
      expect(b.kiosk.postTrust.pairings()).toHaveLength(1)
    }

    // A code refused at one desk, or confirmed at only one, pairs nothing.
    {
      // C asks B; B's supervisor sees another code than C's screen (as with a desk in the middle) and says so.
      const started = ok<PairingView>(await c.kiosk.call('network.pairStart', { address: address(1) }))
      const atB = (await view(b)).session!
      expect(atB).toMatchObject({ role: 'responder', state: 'compare' })
      ok(await c.kiosk.call('network.pairConfirm', { sessionId: started.session!.id, match: true }))
      ok(await b.kiosk.call('network.pairConfirm', { sessionId: atB.id, match: false }))
      await c.kiosk.pairing.settled()
      expect((await view(c)).session).toMatchObject({ state: 'cancelled', reason: 'peer_cancelled' })
      expect((await view(b)).session).toMatchObject({ state: 'cancelled', reason: 'not_same' })

      // Again, and only C's supervisor confirms: C waits, B never stores anything.
      const second = ok<PairingView>(await c.kiosk.call('network.pairStart', { address: address(1) }))
      ok(await c.kiosk.call('network.pairConfirm', { sessionId: second.session!.id, match: true }))
      await new Promise((r) => setTimeout(r, 1000))
      expect((await view(c)).session).toMatchObject({ state: 'waiting' })
      // A supervisor can also stop it from C's side; B hears it.
      ok(await c.kiosk.call('network.pairConfirm', { sessionId: second.session!.id, match: false }))
      await eventually(() => b.kiosk.pairing.view().session?.state === 'cancelled', 4000, 'B hears the cancel')

      expect(c.kiosk.postTrust.pairings()).toEqual([])
      expect(b.kiosk.postTrust.pairings()).toHaveLength(1)
      expect(c.kiosk.postTrust.postKey()).toBeNull()
      expect(actions(c)).toEqual(['pair_reject', 'pair_reject'])
      // Bad input changes nothing: an unknown session, an address nobody waits at (who may call: authz.test.ts).
      expect(await c.kiosk.call('network.pairConfirm', { sessionId: second.session!.id, match: true })).toMatchObject({ ok: false, error: { code: 'not_found' } })
      expect(await c.kiosk.call('network.pairStart', { address: '10.9.9.9:1' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    }

    // Issue 21.5: B becomes the post's self-service kiosk. It still receives the post's NIK index (the entry check
    // catches A's registration), but an applicant there learns only "registered": no receipt, no desk, no time.
    {
      expect(ok(await b.kiosk.call('settings.setMode', { mode: 'self-service' }))).toMatchObject({ mode: 'self-service' })
      b.kiosk.sessions.signOut()
      const nik = nikFor(22)
      ok(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik }) }))
      await eventually(() => b.kiosk.postLog.otherDesks(nik).length > 0, 8000, 'A\'s registration known at the self-service kiosk')
      expect(ok(await b.kiosk.call('registration.checkNik', { nik, source: 'desk' }))).toEqual({ source: 'desk', found: 'registered' })
      expect(ok(await b.kiosk.call('registration.checkNik', { nik: nikFor(23), source: 'desk' }))).toEqual({ source: 'desk', found: 'none' })
    }
  })

  it('a pairing that ended one-sided (the answer to pair.finish lost: B stored A, A stored nothing) is mended by pairing again from A', async () => {
    const ports = await freePorts(2)
    const [a, b] = [0, 1].map((i) =>
      openKiosk({
        config: { postId: SURABAYA.postId, network: { port: ports[i]!, mdns: false, peers: [`127.0.0.1:${ports[1 - i]}`] } },
        role: 'supervisor',
        network: { host: '127.0.0.1', port: ports[i]!, mdns: false, roundMs: 100, goneAfterMs: 2000 },
      }),
    ) as [ReturnType<typeof openKiosk>, ReturnType<typeof openKiosk>]
    for (const desk of [a, b]) await desk.kiosk.network.start()
    const certOf = async (desk: typeof a) => (await desk.kiosk.postTrust.identity()).certSha256

    // A's side of the exchange, with A's own certificate, up to B storing the pairing; then the connection drops
    // before A hears B's answer. That leaves A exactly where its pairing service is when `pair.finish` throws: it
    // stores nothing (its screen says failed), while B stored A and says paired.
    const asA = { ...channelDeps({ kiosk: a.kiosk, dataDir: a.dataDir, kioskId: '', postId: SURABAYA.postId, close: a.close }), kioskId: () => a.kiosk.postTrust.localKioskId() }
    const toB = await connectToPeer(asA, { host: '127.0.0.1', port: ports[1]!, source: 'config' }, 'pairing')
    expect(await toB.request('pair.begin', {})).toMatchObject({ commitment: expect.any(String) })
    await toB.request('pair.nonce', { nonce: randomBytes(32).toString('base64') })
    ok(await b.kiosk.call('network.pairConfirm', { sessionId: b.kiosk.pairing.view().session!.id, match: true }))
    expect(await toB.request('pair.confirm', {})).toMatchObject({ state: 'confirmed' })
    expect(await toB.request('pair.finish', { postKey: randomBytes(32).toString('base64') })).toEqual({ paired: true })
    toB.close()
    expect(b.kiosk.postTrust.pairings().map((p) => p.certSha256)).toEqual([await certOf(a)])
    expect(a.kiosk.postTrust.pairings()).toEqual([])

    // A's supervisor pairs again, as A's screen invites: B, which already trusts A, answers the new session.
    await pairedByCode(a, b, `127.0.0.1:${ports[1]}`)
    expect(a.kiosk.pairing.view().session).toMatchObject({ state: 'paired' })
    expect(a.kiosk.postTrust.pairings().map((p) => p.certSha256)).toEqual([await certOf(b)])
    // Stored once at B (by fingerprint), and one post key: the one B already held.
    expect(b.kiosk.postTrust.pairings().map((p) => p.certSha256)).toEqual([await certOf(a)])
    expect(a.kiosk.postTrust.postKey()!.equals(b.kiosk.postTrust.postKey()!)).toBe(true)

    // Both ways now: a registration at either desk is known at the other.
    const [atA, atBNik] = [nikFor(41), nikFor(42)]
    ok(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik: atA }) }))
    ok(await b.kiosk.call('registration.submit', { draft: makeDraft({ nik: atBNik }) }))
    await eventually(() => b.kiosk.postLog.otherDesks(atA).length > 0, 8000, 'A\'s registration known at B')
    await eventually(() => a.kiosk.postLog.otherDesks(atBNik).length > 0, 8000, 'B\'s registration known at A')
  })

  it('once central is reached its roster and post key win: the paired log is filed under central\'s id, records are hashed again, nothing counts twice', async () => {
    const ports = await freePorts(2)
    const net = (i: number) => ({ port: ports[i]!, peers: [`127.0.0.1:${ports[1 - i]}`], roundMs: 100, goneAfterMs: 2000 })
    const open = (i: number, dataDir?: string) =>
      openKiosk({
        ...(dataDir ? { dataDir } : {}),
        config: { postId: SURABAYA.postId, network: { port: ports[i]!, mdns: false, peers: net(i).peers } },
        role: 'supervisor',
        network: { host: '127.0.0.1', port: ports[i]!, mdns: false, roundMs: 100, goneAfterMs: 2000 },
      })
    const [a, b] = [open(0), open(1)]
    for (const d of [a, b]) await d.kiosk.network.start()
    await pairedByCode(a, b, `127.0.0.1:${ports[1]}`)
    const nik = nikFor(31)
    ok(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik }) }))
    await eventually(() => b.kiosk.postLog.otherDesks(nik).length > 0, 8000, 'A\'s registration known at B while paired')
    const certA = (await a.kiosk.postTrust.identity()).certSha256
    const pairedKey = a.kiosk.postTrust.postKey()!

    // Both desks reach central: IT enrols each (the app restarts after enrolment), then they meet again.
    const { central } = await testCentral()
    const ids: string[] = []
    for (const [i, desk] of [a, b].entries()) {
      desk.close()
      const it = openKiosk({ dataDir: desk.dataDir, config: { postId: SURABAYA.postId }, role: 'it' })
      const enrolled = ok<{ kioskKeyId: string }>(await it.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code }))
      ids[i] = enrolled.kioskKeyId
      // Central's roster is held: no more pairing, whatever the paired list says.
      expect(ok<PairingView>(await it.kiosk.call('network.pairing')).pairable).toBe(false)
      it.close()
    }
    const [ra, rb] = [0, 1].map((i) => reopenDesk({ dataDir: [a, b][i]!.dataDir, kioskId: ids[i]!, postId: SURABAYA.postId }, net(i))) as [Desk, Desk]
    for (const d of [ra, rb]) expect(await d.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    for (const d of [ra, rb]) await d.kiosk.network.start()
    const centralKey = ra.kiosk.postTrust.postKey()!
    expect(centralKey.equals(pairedKey)).toBe(false)
    expect(rb.kiosk.postTrust.postKey()!.equals(centralKey)).toBe(true)

    // B finds A's registration under central's post key (A hashed its records again; the 'nik' events crossed), names
    // A as central does, and holds A's log under central's id only.
    await eventually(() => rb.kiosk.postLog.otherDesks(nik).length > 0, 8000, 'A\'s registration known at B under central\'s key')
    expect(rb.kiosk.postLog.otherDesks(nik)).toEqual([expect.objectContaining({ kioskId: ids[0], desk: 'Meja 1' })])
    const db = new Database(join(rb.dataDir, 'posko.db'), { readonly: true })
    const logs = db.prepare('SELECT DISTINCT kiosk_id AS k FROM post_log').all() as Array<{ k: string }>
    db.close()
    expect(logs.map((r) => r.k)).not.toContain(pairedKioskId(certA))
    // Counted once on the home panel; no NIK reads as registered twice.
    const panel = ok<{ post: PostOverviewView }>(await rb.kiosk.call('network.post')).post
    expect(panel.totals.registered).toBe(1)
    expect(ok<{ anomalies: unknown[] }>(await rb.kiosk.call('network.anomalies')).anomalies).toEqual([])
  })

  it('a desk of a later version: what this version does not know in the pair.* requests and answers is dropped; the desks pair and store only what they know', async () => {
    const NEW = 'FIELD-OF-A-LATER-VERSION'
    // A, B and the link's port. A sees B only at the link's address (B's own server; every pair.* request and answer
    // carries fields this version does not know). Rounds by hand only: nothing but the pairing goes between them.
    const ports = await freePorts(3)
    const open = (i: number, peers: string[]): Desk => {
      const opened = openKiosk({
        config: { postId: SURABAYA.postId, network: { port: ports[i]!, mdns: false, peers } },
        role: 'supervisor',
        network: { host: '127.0.0.1', port: ports[i]!, mdns: false, roundMs: 3_600_000, goneAfterMs: 2000 },
      })
      return { kiosk: opened.kiosk, dataDir: opened.dataDir, kioskId: '', postId: SURABAYA.postId, logger: opened.logger, close: opened.close }
    }
    const a = open(0, [`127.0.0.1:${ports[2]}`])
    const b = open(1, [])
    // C: a third desk of the post, for requests that are not one.
    const c = openKiosk({ config: { postId: SURABAYA.postId }, role: 'supervisor' })
    for (const desk of [a, b]) await desk.kiosk.network.start()
    const link = await laterVersionLink(b, a, {
      target: ports[1]!,
      port: ports[2]!,
      pairing: true,
      request: (method, params) => (method.startsWith('pair.') ? withFields(params ?? {}, { since: NEW }) : params),
      answer: (method, answer) => (method.startsWith('pair.') ? withFields(answer, { since: NEW, hint: { note: NEW } }) : answer),
    })
    const certOf = async (desk: Desk) => (await desk.kiosk.postTrust.identity()).certSha256

    await pairedByCode(a, b, `127.0.0.1:${ports[2]}`)
    for (const [desk, other] of [[a, b], [b, a]] as const) {
      expect(desk.kiosk.pairing.view().session).toMatchObject({ state: 'paired' })
      expect(desk.kiosk.postTrust.pairings().map((p) => p.certSha256)).toEqual([await certOf(other)])
    }
    expect(a.kiosk.postTrust.postKey()).toHaveLength(32)
    expect(a.kiosk.postTrust.postKey()!.equals(b.kiosk.postTrust.postKey()!)).toBe(true)
    expect([...link.passed.keys()]).toEqual(['pair.begin', 'pair.nonce', 'pair.confirm', 'pair.finish'])
    // What this version did not know is nowhere: not in either desk's files, not in what either logged.
    expectNowhere(NEW, [a, b])

    // A known field of the wrong type is still refused, whatever else the request carries, and changes nothing at B.
    const asC = { ...channelDeps({ kiosk: c.kiosk, dataDir: c.dataDir, kioskId: '', postId: SURABAYA.postId, close: c.close }), kioskId: () => c.kiosk.postTrust.localKioskId() }
    const toB = await connectToPeer(asC, { host: '127.0.0.1', port: ports[1]!, source: 'config' }, 'pairing')
    const bad: Array<[string, unknown]> = [
      ['pair.begin', [NEW]],
      ['pair.nonce', { nonce: 5, since: NEW }],
      ['pair.confirm', 'confirmed'],
      ['pair.finish', { postKey: NEW, since: NEW }],
    ]
    for (const [method, params] of bad) expect(await toB.request(method, params).then(() => 'ok', (e: { reason?: string }) => e.reason)).toBe('bad_request')
    toB.close()
    expect(b.kiosk.pairing.view().session).toMatchObject({ state: 'paired', peerSha256: await certOf(a) })
    expect(b.kiosk.postTrust.pairings().map((p) => p.certSha256)).toEqual([await certOf(a)])
  })

  it('the code binds both certificates and both nonces; the commitment binds the responder to its nonce', () => {
    const [fa, fb, fm] = ['a', 'b', 'c'].map((x) => x.repeat(64)) as [string, string, string]
    const [na, nb] = [randomBytes(32), randomBytes(32)]
    const code = pairingCode(fa, fb, na, nb)
    expect(code).toMatch(/^\d{6}$/)
    // A man in the middle shows A its own certificate: A's code is not B's (same nonces even).
    expect(pairingCode(fa, fm, na, nb)).not.toBe(code)
    expect(pairingCode(fm, fb, na, nb)).not.toBe(code)
    // A responder that picks its nonce after seeing the initiator's does not match what it committed to.
    expect(commitmentHolds(commitment(fb, fa, nb), fb, fa, nb)).toBe(true)
    expect(commitmentHolds(commitment(fb, fa, nb), fb, fa, randomBytes(32))).toBe(false)
  })
})
