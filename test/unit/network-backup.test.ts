import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupStatusView } from '../../common/backup'
import { readBundleHeader } from '../../main/services/bundle'
import { BACKUP_PUT } from '../../main/services/network/backup'
import { connectToPeer } from '../../main/services/network/channel'
import { freePorts } from '../fixtures/ports'
import { makeDraft, MARKERS, nikFor } from '../fixtures/drafts'
import { SURABAYA } from '../central/testkit'
import { tempDir, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { channelDeps, eventually, expectNowhere, laterVersionLink, postDesks, reopenDesk, withBundleFields, withFields } from './network-kit'

/**
 * Issue 22.1, peer backup, with real desks: three kiosks enrolled to the reference central, mutual TLS on loopback.
 * A record committed at A is handed to B (and C) as a sealed bundle; A counts it safe; B cannot read it (no
 * plaintext, and only central opens it: B forwards it and central takes A's record); central's answer, reaching B
 * through A's post log, drops it at B.
 */
type Held = { origin_kiosk_id: string; record_id: string; bundle: Buffer; size: number }
/** What a refusal must not change: the held bundles, the given list and the post log (the audit may move by itself). */
const backupState = (desk: Desk): string =>
  JSON.stringify(['backup_held', 'backup_given', 'post_log'].map((t) => desk.kiosk.store.connection().prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()))
const heldAt = (desk: Desk): Held[] => desk.kiosk.store.connection().prepare('SELECT origin_kiosk_id, record_id, bundle, size FROM backup_held').all() as Held[]

async function status(desk: Desk): Promise<BackupStatusView | null> {
  const r = (await desk.kiosk.call('backup.status')) as { ok: true; value: { backup: BackupStatusView | null } }
  expect(r.ok).toBe(true)
  return r.value.backup
}

async function submit(desk: Desk, nik: string, photos?: Parameters<typeof makeDraft>[0] extends infer P ? (P extends { photos?: infer X } ? X : never) : never): Promise<string> {
  const r = (await desk.kiosk.call('registration.submit', { draft: makeDraft({ nik, ...(photos ? { photos } : {}) }) })) as { ok: boolean; value: { id: string } }
  expect(r.ok).toBe(true)
  return r.value.id
}

describe('peer backup', () => {
  it('a record committed at A is held sealed by B, counted safe at A, unreadable at B, and dropped at B once central accepted it', async () => {
    const { central, client } = await testCentral()
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 3000 })
    const [a, b, c] = desks as [Desk, Desk, Desk]
    // Before anything is on the network: the record is not safe.
    const fixture = (name: string) => readFileSync(resolve('test/fixtures/photos', name)).toString('base64')
    const face = (await a.kiosk.call('photo.process', { kind: 'face', jpegBase64: fixture('good-face.jpg') })) as { ok: true; value: { sha256: string } }
    const card = (await a.kiosk.call('photo.process', { kind: 'card', jpegBase64: fixture('card-ktp.jpg') })) as { ok: true; value: { sha256: string } }
    expect(face.ok && card.ok).toBe(true)
    const first = await submit(a, nikFor(1), { face: { sha256: face.value.sha256 }, card: { sha256: card.value.sha256 } })
    expect(await status(a)).toEqual({ notSafe: 1, unsettled: 1, heldForOthers: { bundles: 0, bytes: 0 } })

    for (const desk of desks) await desk.kiosk.network.start()
    await eventually(() => heldAt(b).length === 1 && heldAt(c).length === 1, 10_000, 'B and C hold A\'s record')
    await eventually(() => a.kiosk.store.connection().prepare('SELECT count(*) AS n FROM backup_given').pluck().get() === 2, 5000, 'A knows')
    expect(await status(a)).toMatchObject({ notSafe: 0, unsettled: 1 })
    const [held] = heldAt(b)
    expect(held).toMatchObject({ origin_kiosk_id: a.kioskId, record_id: first })
    expect((await status(b))?.heldForOthers).toEqual({ bundles: 1, bytes: held!.size })

    // What B holds: a bundle of A's, for this post, one record and both photos; nothing of Siti in the clear.
    const file = join(tempDir(), 'held.pkb')
    writeFileSync(file, held!.bundle)
    expect(await readBundleHeader(file)).toMatchObject({ postId: SURABAYA.postId, kioskKeyId: a.kioskId, records: 1, photos: 2 })
    const text = held!.bundle.toString('latin1')
    for (const secret of [nikFor(1), MARKERS.name, 'MARKERNAMA', MARKERS.phoneE164, MARKERS.email]) expect(text).not.toContain(secret)

    // A record of B's goes the other way; a second of A's reaches B within the rounds too.
    const second = await submit(a, nikFor(2))
    await submit(b, nikFor(3))
    await eventually(() => heldAt(b).length === 2 && heldAt(a).length === 1, 10_000, 'the next records held')
    await eventually(() => (a.kiosk.store.connection().prepare('SELECT count(*) AS n FROM registrations r WHERE NOT EXISTS (SELECT 1 FROM backup_given g WHERE g.record_id = r.id)').pluck().get() as number) === 0, 5000, 'A all safe')

    // Central accepts A's records: A's state events reach B through the post log, and B drops its copies.
    await a.kiosk.uploader.runOnce()
    expect(a.kiosk.store.countInState('accepted')).toBe(2)
    await eventually(() => heldAt(b).every((h) => h.origin_kiosk_id !== a.kioskId), 10_000, 'B drops A\'s accepted records')
    await eventually(() => heldAt(c).length === 1 && heldAt(c)[0]!.origin_kiosk_id === b.kioskId, 10_000, 'C keeps only B\'s')
    expect(await status(a)).toMatchObject({ notSafe: 0, unsettled: 0 })
    expect(second).toBeTruthy()

    // A dies with a record central never saw: B hands A's sealed bundle to central (the USB import path), central
    // opens it — the only one that can — and takes A's record.
    const last = await submit(a, nikFor(4))
    await eventually(() => heldAt(b).some((h) => h.record_id === last), 10_000, 'B holds the last one')
    a.close()
    const lastFile = join(tempDir(), 'last.pkb')
    writeFileSync(lastFile, heldAt(b).find((h) => h.record_id === last)!.bundle)
    expect(await b.kiosk.call('bundle.import', { file: lastFile })).toMatchObject({ ok: true, value: { records: 1, accepted: 1, rejected: 0 } })
    expect((await client.getRegistration(last)).status).toBe(200)
  })

  it('refuses a garbled bundle, one for another post or signed by another desk, and one over the quota: logged, nothing stored', async () => {
    const { central } = await testCentral()
    // Rounds and status ticks by hand only: nothing but the test's requests changes B's store.
    const desks = await postDesks(central, SURABAYA.postId, 2, { roundMs: 3_600_000, deskStatus: { tickMs: 3_600_000 }, backupQuotaBytes: 12_000 })
    const [a, b] = desks as [Desk, Desk]
    const port = b.net!.port
    await b.kiosk.network.start()
    await a.kiosk.network.start()
    const record = await submit(a, nikFor(7))
    // A real bundle of A's record, made as A's backup makes it (one round of A's mesh, pointed at B only).
    await a.kiosk.network.mesh()!.round()
    await eventually(() => heldAt(b).length === 1, 5000, 'B holds the real one')
    const real = heldAt(b)[0]!.bundle
    const before = backupState(b)

    const connection = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port, source: 'config' })
    // One bundle per request here; the sender pages up to 32.
    const put = (item: { recordId: string; bundle: string }) => connection.request('backup.put', { bundles: [item] }).then(() => 'ok', (e: { reason?: string }) => e.reason)
    const other = Buffer.from(real)
    const headerStart = real.indexOf('{')
    // Another post, same length (the header is JSON: swap the post id for one of the same length).
    other.write(other.toString('latin1', headerStart, headerStart + 400).replace(SURABAYA.postId, 'JT-3573-01').slice(0, 400), headerStart, 'latin1')
    expect(await put({ recordId: record, bundle: other.toString('base64') })).toBe('other_post')
    expect(await put({ recordId: record, bundle: Buffer.from('POSKOBND garbage').toString('base64') })).toBe('bad_bundle')
    expect(await put({ recordId: record, bundle: real.subarray(0, real.length - 70).toString('base64').slice(0, 100) })).toBe('bad_bundle')
    expect(await put({ recordId: 'not-a-record', bundle: real.toString('base64') })).toBe('bad_bundle')
    // One good bundle beside a garbled one: the request is refused whole, the good one not stored either.
    const mixed = [
      { recordId: '0190a0b0-0000-7000-8000-00000000aaaa', bundle: real.toString('base64') },
      { recordId: '0190a0b0-0000-7000-8000-00000000bbbb', bundle: Buffer.from('POSKOBND garbage').toString('base64') },
    ]
    expect(await connection.request('backup.put', { bundles: mixed }).then(() => 'ok', (e: { reason?: string }) => e.reason)).toBe('bad_bundle')
    expect(backupState(b)).toBe(before)
    // A's bundle, sent by B (to A): a desk hands over only what it signed itself.
    const aBefore = backupState(a)
    const asB = await connectToPeer(channelDeps(b), { host: '127.0.0.1', port: a.net!.port, source: 'config' })
    expect(await asB.request('backup.put', { bundles: [{ recordId: record, bundle: real.toString('base64') }] }).then(() => 'ok', (e: { reason?: string }) => e.reason)).toBe('wrong_kiosk')
    asB.close()
    expect(backupState(a)).toBe(aBefore)
    expect(heldAt(b)).toHaveLength(1)

    // Over the quota (12,000 bytes here): the real bundle under other record ids until B refuses; the refusal stores nothing.
    let refusal: string | undefined
    for (let i = 0; i < 20 && refusal === undefined; i++) {
      const atRefusal = backupState(b)
      const answer = await put({ recordId: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`, bundle: real.toString('base64') })
      if (answer !== 'ok') {
        refusal = answer
        expect(backupState(b)).toBe(atRefusal)
      }
    }
    expect(refusal).toBe('over_quota')
    const bytes = heldAt(b).reduce((n, h) => n + h.size, 0)
    expect(bytes).toBeLessThanOrEqual(12_000)
    expect(b.logger!.entries.filter((e) => e.message.startsWith('backup: refused')).map((e) => e.fields?.reason)).toEqual(['other_post', 'bad_bundle', 'bad_bundle', 'bad_bundle', 'bad_bundle', 'over_quota'])
    expect(a.logger!.entries.filter((e) => e.message.startsWith('backup: refused')).map((e) => e.fields?.reason)).toEqual(['wrong_kiosk'])
    connection.close()

    // A frame of 5 MB (over the channel's 4 MB): refused at its length prefix, the connection cut, nothing stored.
    const afterQuota = backupState(b)
    const big = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port, source: 'config' })
    await expect(big.request('backup.put', { bundles: [{ recordId: record, bundle: Buffer.alloc(4 * 1024 * 1024).toString('base64') }] })).rejects.toThrow()
    expect(backupState(b)).toBe(afterQuota)
  })

  it('a desk of a later version: what this version does not know in its backup requests and answers is dropped; each record is given once', async () => {
    const { central } = await testCentral()
    const NEW = 'FIELD-OF-A-LATER-VERSION'
    // Rounds and status ticks by hand only. A reaches B only through the link (B's own server; its requests and
    // answers carry fields this version does not know, beside the list and in each bundle).
    const [a0, b] = (await postDesks(central, SURABAYA.postId, 2, { roundMs: 3_600_000, deskStatus: { tickMs: 3_600_000 } })) as [Desk, Desk]
    const [linkPort] = await freePorts(1)
    a0.close()
    const a = reopenDesk(a0, { ...a0.net!, peers: [`127.0.0.1:${linkPort}`] })
    const link = await laterVersionLink(b, a, {
      target: b.net!.port,
      port: linkPort,
      request: (method, params) => (method === BACKUP_PUT ? withBundleFields(params, { since: NEW }, { sealedBy: NEW }) : params),
      answer: (method, answer) => (method === BACKUP_PUT ? withFields(answer, { since: NEW, quota: { left: NEW } }) : answer),
    })
    await b.kiosk.network.start()
    await a.kiosk.network.start()
    const ids = [await submit(a, nikFor(31)), await submit(a, nikFor(32))].sort()

    // B holds both, A counts them given and safe; the next visit gives nothing again.
    await a.kiosk.network.mesh()!.round()
    expect(heldAt(b).map((h) => [h.origin_kiosk_id, h.record_id])).toEqual(ids.map((id) => [a.kioskId, id]))
    const given = () => a.kiosk.store.connection().prepare('SELECT record_id, kiosk_id FROM backup_given ORDER BY record_id').all()
    expect(given()).toEqual(ids.map((id) => ({ record_id: id, kiosk_id: b.kioskId })))
    expect(await status(a)).toMatchObject({ notSafe: 0 })
    await a.kiosk.network.mesh()!.round()
    expect(link.passed.get(BACKUP_PUT)).toBe(1)
    expect(a.logger!.entries.filter((e) => e.message.startsWith('backup:'))).toEqual([])
    // What this version did not know is nowhere: not in either desk's files, not in what either logged.
    expectNowhere(NEW, [a, b])

    // A known field of the wrong type is still refused, whatever else the request carries, and changes nothing.
    const before = backupState(b)
    const real = heldAt(b)[0]!.bundle.toString('base64')
    const other = '0190a0b0-0000-7000-8000-00000000cccc'
    const connection = await connectToPeer(channelDeps(a), { host: '127.0.0.1', port: b.net!.port, source: 'config' })
    const bad = [{ bundles: [{ recordId: other, bundle: 5 }], since: NEW }, { bundles: { recordId: other, bundle: real }, since: NEW }, { bundles: [{ recordId: 7, bundle: real, sealedBy: NEW }] }]
    for (const params of bad) expect(await connection.request(BACKUP_PUT, params).then(() => 'ok', (e: { reason?: string }) => e.reason)).toBe('bad_bundle')
    connection.close()
    expect(backupState(b)).toBe(before)
    expect(b.logger!.entries.filter((e) => e.message.startsWith('backup: refused')).map((e) => e.fields?.reason)).toEqual(['bad_bundle', 'bad_bundle', 'bad_bundle'])
  })
})
