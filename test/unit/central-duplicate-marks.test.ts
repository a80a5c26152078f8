import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createCentralClient } from '../../main/services/central/client'
import { makeValidRecords } from '../central/fixtures'
import { MALANG, SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'

/**
 * POST /v1/duplicates on the reference central (issue 21.4): a post's anomaly-screen mark, kept once per duplicate
 * record. The kiosk's own client is the caller, as in the app; refusals are typed and store nothing.
 */
describe('central: duplicate marks', () => {
  it('keeps the post\'s mark once, answers a retry the same, refuses another mark, another post\'s record and bad bodies', async () => {
    const { central, client } = await testCentral()
    const surabaya = createCentralClient({ baseUrl: central.url, token: SURABAYA.token })
    const malang = createCentralClient({ baseUrl: central.url, token: MALANG.token })
    const [kept, duplicate] = [randomUUID(), randomUUID()]
    const mark = { duplicateId: duplicate, keptId: kept, markedAt: '2026-12-06T05:00:00.000Z', operatorId: 'sup-1' }

    const first = await surabaya.markDuplicate(mark)
    expect(first).toEqual({ ok: true, value: { recordedAt: expect.any(String) } })
    // A retry after a lost answer: the same answer, nothing new stored.
    expect(await surabaya.markDuplicate(mark)).toEqual(first)
    // Another mark for the same record: a conflict, the first stands.
    expect(await surabaya.markDuplicate({ ...mark, keptId: randomUUID() })).toEqual({ ok: false, failure: { kind: 'conflict' } })
    // Another post cannot overwrite it, nor learn anything of it.
    expect(await malang.markDuplicate({ ...mark, keptId: randomUUID() })).toEqual({ ok: false, failure: { kind: 'unsupported', status: 404 } })

    // A record central holds for another post reads as absent.
    const [malangRecord] = makeValidRecords(1, MALANG.postId)
    expect((await client.postBatch([malangRecord], { post: MALANG })).status).toBe(200)
    expect(await surabaya.markDuplicate({ ...mark, duplicateId: randomUUID(), keptId: malangRecord!.id })).toEqual({ ok: false, failure: { kind: 'unsupported', status: 404 } })

    // Bad bodies: 400 (the same record twice, a NIK smuggled in, not JSON) and 415.
    const post = (body: string, type = 'application/json') =>
      fetch(`${central.url}/v1/duplicates`, { method: 'POST', body, headers: { 'content-type': type, authorization: `Bearer ${SURABAYA.token}` } })
    expect((await post(JSON.stringify({ ...mark, duplicateId: randomUUID(), keptId: kept, nik: '3578015201700001' }))).status).toBe(400)
    expect((await post(JSON.stringify({ ...mark, duplicateId: kept }))).status).toBe(400)
    expect((await post('{'))).toMatchObject({ status: 400 })
    expect((await post(JSON.stringify(mark), 'text/plain')).status).toBe(415)

    expect(central.db.prepare('SELECT duplicate_id, kept_id, post_id, operator_id FROM duplicate_marks').all()).toEqual([
      { duplicate_id: duplicate, kept_id: kept, post_id: SURABAYA.postId, operator_id: 'sup-1' },
    ])
  })
})
