import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { NikCheck } from '../../common/nik-check'
import type { Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { makeValidRecords } from '../central/fixtures'
import { MALANG, SURABAYA } from '../central/testkit'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { openKiosk, testCentral } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

const check = async (kiosk: ReturnType<typeof openKiosk>['kiosk'], nik: string, source: 'kiosk' | 'central', exceptId?: string) =>
  value<NikCheck>(await kiosk.call('registration.checkNik', { nik, source, ...(exceptId ? { exceptId } : {}) }))

describe('registration.checkNik: this kiosk (issue 19.1)', () => {
  it('finds a NIK registered here with whose receipt, when and its state, audited without the NIK; others are none', async () => {
    const { kiosk } = openKiosk()
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    expect(await check(kiosk, SITI_NIK, 'kiosk')).toEqual({
      source: 'kiosk',
      found: 'here',
      recordId: receipt.id,
      receiptNo: receipt.receiptNo,
      fullName: MARKERS.name,
      createdAt: receipt.createdAt,
      state: 'queued',
    })
    expect(await check(kiosk, nikFor(7), 'kiosk')).toEqual({ source: 'kiosk', found: 'none' })
    // Editing that very record: it is not its own duplicate.
    expect(await check(kiosk, SITI_NIK, 'kiosk', receipt.id)).toEqual({ source: 'kiosk', found: 'none' })
    const rows = kiosk.audit.list({ action: 'nik_check' })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ record_id: receipt.id })
    expect(JSON.stringify(rows)).not.toContain(SITI_NIK)
  })

  it('refuses anything but 16 digits', async () => {
    const { kiosk } = openKiosk()
    for (const nik of ['3578 0141 0190 0003', '357801410190000', 3578014101900003]) {
      expect(await kiosk.call('registration.checkNik', { nik, source: 'kiosk' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    }
  })

  it('tells an applicant at a self-service kiosk only "registered", and never asks central for them', async () => {
    const { kiosk } = openKiosk({ config: { mode: 'self-service' }, role: null })
    value(await kiosk.call('registration.submit', { draft: makeDraft() }))
    expect(await check(kiosk, SITI_NIK, 'kiosk')).toEqual({ source: 'kiosk', found: 'registered' })
    expect(await check(kiosk, nikFor(7), 'kiosk')).toEqual({ source: 'kiosk', found: 'none' })
    expect(await check(kiosk, SITI_NIK, 'central')).toEqual({ source: 'central', found: 'unknown', reason: 'not_offered' })
  })
})

describe('registration.checkNik: central (issue 19.1)', () => {
  async function centralWithSurabayaPerson(limits?: { maxCrossPostDuplicates: number }) {
    const env = await testCentral(limits ? { limits } : {})
    const held = makeValidRecords(1, SURABAYA.postId)
    await env.client.postBatch(held)
    return { env, person: held[0]! }
  }

  it('answers this post with its receipt and state, another post with "elsewhere" only, and an unknown NIK with none', async () => {
    const { env, person } = await centralWithSurabayaPerson()
    const surabaya = openKiosk({ config: { centralUrl: env.central.url, postId: SURABAYA.postId }, centralToken: SURABAYA.token }).kiosk
    expect(await check(surabaya, person.nik, 'central')).toEqual({
      source: 'central',
      found: 'this_post',
      receiptNo: person.receiptNo,
      registeredAt: expect.any(String),
      state: 'accepted',
    })
    const malang = openKiosk({ config: { centralUrl: env.central.url, postId: MALANG.postId }, centralToken: MALANG.token }).kiosk
    expect(await check(malang, person.nik, 'central')).toEqual({ source: 'central', found: 'elsewhere' })
    expect(await check(malang, nikFor(3), 'central')).toEqual({ source: 'central', found: 'none' })
    // The "elsewhere" answer is counted against the asking credential, as a cross-post duplicate of a batch is.
    expect(env.central.db.prepare('SELECT actor, record_id AS what FROM duplicate_hits').all()).toEqual([{ actor: `post:${MALANG.postId}`, what: 'lookup' }])
  })

  it('over the cross-post duplicate limit, central refuses with 429 and the kiosk says rate_limited instead of failing', async () => {
    const { env, person } = await centralWithSurabayaPerson({ maxCrossPostDuplicates: 2 })
    const malang = openKiosk({ config: { centralUrl: env.central.url, postId: MALANG.postId }, centralToken: MALANG.token }).kiosk
    expect(await check(malang, person.nik, 'central')).toEqual({ source: 'central', found: 'elsewhere' })
    expect(await check(malang, person.nik, 'central')).toEqual({ source: 'central', found: 'elsewhere' })
    expect(await check(malang, person.nik, 'central')).toEqual({ source: 'central', found: 'unknown', reason: 'rate_limited' })
    // Its own post's person and unknown NIKs are not limited.
    expect(await check(malang, nikFor(3), 'central')).toEqual({ source: 'central', found: 'none' })
  })

  it('never blocks: no token, a central that is down, and one that never answers are each an unknown with the reason', async () => {
    expect(await check(openKiosk().kiosk, SITI_NIK, 'central')).toEqual({ source: 'central', found: 'unknown', reason: 'not_configured' })
    const down = openKiosk({ config: { centralUrl: 'http://127.0.0.1:9' }, centralToken: 'x'.repeat(32) }).kiosk
    expect(await check(down, SITI_NIK, 'central')).toEqual({ source: 'central', found: 'unknown', reason: 'offline' })
    // Accepts the connection and says nothing: the lookup's own short deadline ends it.
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = (silent.address() as { port: number }).port
      const stuck = openKiosk({ config: { centralUrl: `http://127.0.0.1:${port}` }, centralToken: 'x'.repeat(32) }).kiosk
      expect(await check(stuck, SITI_NIK, 'central')).toEqual({ source: 'central', found: 'unknown', reason: 'timeout' })
    } finally {
      silent.close()
    }
  })
})
