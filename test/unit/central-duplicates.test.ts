import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createCentralClient } from '../../main/services/central/client'
import { DUPLICATE_ELSEWHERE } from '../../main/services/central/wire'
import { FleetAnswer, heartbeatPath } from '../../main/services/fleet'
import { ENROL_PATH } from '../../main/services/enrolment/wire'
import { runCentralCommand } from '../central/commands'
import { makeValidRecords } from '../central/fixtures'
import { MALANG, SURABAYA } from '../central/testkit'
import { enrolledKiosk, MALANG_POST, SURABAYA_POST, withPhotos } from './bundle-kit'
import { demoCentral, tempDir, testCentral } from './helpers'

/** Issue 17.6: an enrolled kiosk must not be able to map other posts' registrations through `duplicate` answers. */

const results = async (res: Response) => ((await res.json()) as { results: unknown[] }).results

async function fleet(url: string, adminToken: string): Promise<FleetAnswer> {
  const res = await fetch(`${url}/v1/posts`, { headers: { authorization: `Bearer ${adminToken}` } })
  expect(res.status).toBe(200)
  return FleetAnswer.parse(await res.json())
}

/** Surabaya holds n people; Malang sends records with the same NIKs: n cross-post duplicates, one per record. */
function probes(n: number, start = 0) {
  const held = makeValidRecords(n, SURABAYA.postId, { start })
  const probing = makeValidRecords(n, MALANG.postId, { start: start + 500 }).map((r, i) => ({ ...r, nik: held[i]!.nik }))
  return { held, probing }
}

describe('central: cross-post duplicates', () => {
  it('answers a NIK held by another post with "elsewhere", everywhere it answers it, and its own post\'s with the id', async () => {
    const env = await testCentral()
    const { held, probing } = probes(1)
    await env.client.postBatch(held)
    const mine = { ...makeValidRecords(1, SURABAYA.postId, { start: 50 })[0]!, nik: held[0]!.nik }
    expect(await results(await env.client.postBatch([mine]))).toEqual([{ id: mine.id, status: 'duplicate', centralId: 'C-000000001' }])

    const batchId = '0195a3f0-0000-7000-8000-000000000001'
    const first = await results(await env.client.postBatch(probing, { post: MALANG, batchId }))
    expect(first).toEqual([{ id: probing[0]!.id, status: 'duplicate', centralId: DUPLICATE_ELSEWHERE }])
    // The replay, the same id in another batch, and the status call say no more than the first answer.
    expect(await results(await env.client.postBatch(probing, { post: MALANG, batchId }))).toEqual(first)
    expect(await results(await env.client.postBatch(probing, { post: MALANG }))).toEqual(first)
    const status = await fetch(`${env.central.url}/v1/registrations/${probing[0]!.id}`, { headers: { authorization: `Bearer ${MALANG.token}` } })
    expect(await status.json()).toMatchObject({ status: 'duplicate', centralId: DUPLICATE_ELSEWHERE })
    // The kiosk's own parser takes the answer as a duplicate, as it did with an id.
    const client = createCentralClient({ baseUrl: env.central.url, token: MALANG.token })
    const again = await client.postBatch({ postId: MALANG.postId, batchId: '0195a3f0-0000-7000-8000-000000000002', records: probing })
    expect(again).toEqual({ ok: true, value: { batchId: '0195a3f0-0000-7000-8000-000000000002', results: first } })
    // Counted once, against the credential that asked: replays are not new answers.
    const counted = env.central.db.prepare('SELECT actor, holder_post_id AS holder FROM duplicate_hits').all()
    expect(counted).toEqual([{ actor: `post:${MALANG.postId}`, holder: SURABAYA.postId }])
  })

  it('refuses a credential\'s batches with 429 + Retry-After once it had the limit of them in the window; replays still answer', async () => {
    let now = Date.parse('2026-03-10T07:00:00.000Z')
    const env = await testCentral({ limits: { maxCrossPostDuplicates: 3, duplicateWindowMs: 60 * 60_000 }, now: () => new Date(now) })
    const { held, probing } = probes(6)
    await env.client.postBatch(held)
    const batchId = '0195a3f0-0000-7000-8000-000000000003'
    expect((await env.client.postBatch(probing.slice(0, 3), { post: MALANG, batchId })).status).toBe(200)

    now += 10 * 60_000
    const refused = await env.client.postBatch(probing.slice(3, 4), { post: MALANG })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe(String(50 * 60))
    expect(await refused.json()).toMatchObject({ error: { code: 'duplicate_limit' } })
    expect(env.central.db.prepare('SELECT COUNT(*) AS n FROM results WHERE record_id = ?').get(probing[3]!.id)).toEqual({ n: 0 })
    // The uploader's client reads it as "wait exactly that long", which its backoff honours.
    const client = createCentralClient({ baseUrl: env.central.url, token: MALANG.token })
    expect(await client.postBatch({ postId: MALANG.postId, batchId: '0195a3f0-0000-7000-8000-000000000004', records: probing.slice(3, 4) })).toEqual({
      ok: false,
      failure: { kind: 'retry_after', seconds: 3000, status: 429 },
    })
    expect((await env.client.postBatch(probing.slice(0, 3), { post: MALANG, batchId })).status).toBe(200)
    // Another credential is not held back by this one.
    expect((await env.client.postBatch(makeValidRecords(1, SURABAYA.postId, { start: 900 }))).status).toBe(200)

    const view = await fleet(env.central.url, env.central.adminToken)
    expect(view.credentials).toEqual([
      expect.objectContaining({ credential: `post:${MALANG.postId}`, kind: 'post_token', crossPostDuplicates: { window: 3, total: 3 }, limitedForSeconds: 3000 }),
    ])
    const page = await fetch(`${env.central.url}/fleet?lang=en`, { headers: { authorization: `Bearer ${env.central.adminToken}` } })
    expect(await page.text()).toMatch(/data-credential="post:JT-3573-01">.*Limited \(50 min\).*<td class="num">3<\/td><td class="num">3<\/td>/)

    now += 51 * 60_000
    expect(await results(await env.client.postBatch(probing.slice(3, 4), { post: MALANG }))).toEqual([
      { id: probing[3]!.id, status: 'duplicate', centralId: DUPLICATE_ELSEWHERE },
    ])
    expect((await fleet(env.central.url, env.central.adminToken)).credentials[0]).toMatchObject({ crossPostDuplicates: { window: 1, total: 4 }, limitedForSeconds: null })
  })

  it('counts an enrolled kiosk by its key, and a bundle against the kiosk that signed it', async () => {
    const { central } = await demoCentral({ limits: { maxCrossPostDuplicates: 2 } })
    const holder = await enrolledKiosk(central, SURABAYA_POST)
    const held = makeValidRecords(3, SURABAYA_POST)
    holder.queue(held)
    await holder.uploader().runOnce()
    const origin = await enrolledKiosk(central, MALANG_POST)
    const probing = withPhotos(origin, makeValidRecords(3, MALANG_POST, { start: 500 }).map((r, i) => ({ ...r, nik: held[i]!.nik })))
    origin.queue(probing)
    const { file } = await origin.bundles.exportBundle({ directory: tempDir('posko-usb-') })
    expect(await origin.bundles.importBundle(file)).toMatchObject({ duplicate: 3 })
    const keyId = origin.enrolment.status().kioskKeyId!
    const view = await fleet(central.url, central.adminToken)
    expect(view.credentials.find((c) => c.credential === keyId)).toMatchObject({ kind: 'kiosk', postId: MALANG_POST, crossPostDuplicates: { window: 3, total: 3 }, revokedAt: null })
    // Over the limit: the records it exported still get their stored answers through the uploader (nothing new is
    // told), a batch that would tell it about another post's person waits, and its own new people go up.
    await origin.uploader().runOnce()
    expect(probing.map((r) => [origin.state(r.id), origin.centralId(r.id)])).toEqual(probing.map(() => ['duplicate', DUPLICATE_ELSEWHERE]))
    const client = createCentralClient({ baseUrl: central.url, token: origin.enrolment.credentials()!.token })
    const probe = { ...makeValidRecords(1, MALANG_POST, { start: 700 })[0]!, nik: makeValidRecords(4, SURABAYA_POST)[3]!.nik }
    holder.queue([makeValidRecords(4, SURABAYA_POST)[3]!])
    await holder.uploader().runOnce()
    expect(await client.postBatch({ postId: MALANG_POST, batchId: '0195a3f0-0000-7000-8000-000000000005', records: [probe] })).toMatchObject({
      ok: false,
      failure: { kind: 'retry_after', status: 429 },
    })
    const fresh = makeValidRecords(1, MALANG_POST, { start: 800 })
    expect(await client.postBatch({ postId: MALANG_POST, batchId: '0195a3f0-0000-7000-8000-000000000006', records: fresh })).toMatchObject({
      ok: true,
      value: { results: [{ id: fresh[0]!.id, status: 'accepted' }] },
    })
  })
})

describe('central: revoking a kiosk', () => {
  it('`revoke <keyId>`: its token gets 401, its code can\'t bring it back, its bundles are refused; another kiosk is untouched', async () => {
    const { central, dataDir } = await demoCentral()
    const code = central.issueEnrolmentCode(MALANG_POST).code
    const { publicKey } = generateKeyPairSync('ed25519')
    const enrolBody = JSON.stringify({ postId: MALANG_POST, code, kioskPublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), kioskVersion: '1.0.0' })
    const enrol = () => fetch(`${central.url}${ENROL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: enrolBody })
    const answer = (await (await enrol()).json()) as { token: string; kioskKeyId: string }
    const other = await enrolledKiosk(central, MALANG_POST)
    const origin = await enrolledKiosk(central, SURABAYA_POST)
    origin.queue(makeValidRecords(1, SURABAYA_POST))
    const { file } = await origin.bundles.exportBundle({ directory: tempDir('posko-usb-') })
    const beat = (token: string) =>
      fetch(`${central.url}${heartbeatPath(MALANG_POST)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: '1.0.0', sentAt: new Date().toISOString(), queue: { queued: 0, uploading: 0, accepted: 0, duplicate: 0, rejected: 0, exported: 0, purged: 0 }, uploadStatus: 'idle', lastSyncAt: null, diskFreeBytes: null, lastError: null }),
      })
    expect((await beat(answer.token)).status).toBe(200)

    const out: string[] = []
    const err: string[] = []
    const sink = (into: string[]) => ({ write: (text: string) => into.push(text) })
    expect(await runCentralCommand('revoke', [answer.kioskKeyId, '--data', dataDir], sink(out), sink(err))).toBe(0)
    expect(out.join('')).toContain(`Revoked kiosk ${answer.kioskKeyId}`)
    expect((await beat(answer.token)).status).toBe(401)
    // The lost-answer path (same code, same key) must not hand a revoked kiosk a fresh token.
    expect((await enrol()).status).toBe(403)
    expect(await runCentralCommand('revoke', ['no-such-key', '--data', dataDir], sink(out), sink(err))).toBe(1)
    expect(err.join('')).toContain('no enrolled kiosk with key id no-such-key')
    expect((await fleet(central.url, central.adminToken)).credentials.find((c) => c.credential === answer.kioskKeyId)?.revokedAt).toEqual(expect.any(String))

    const originKey = origin.enrolment.status().kioskKeyId!
    expect(await runCentralCommand('revoke', [originKey, '--data', dataDir], sink(out), sink(err))).toBe(0)
    await expect(other.bundles.importBundle(file)).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'unknown_kiosk_key' }) })
    expect(other.enrolment.status().enrolled).toBe(true)
  })
})
