import { describe, expect, it } from 'vitest'
import { FleetAnswer } from '../../main/services/fleet/wire'
import { SURABAYA } from '../central/testkit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { openKiosk, testCentral } from './helpers'

/**
 * Issue 22: the fleet page shows per desk how many of its records are not yet safe (held by no other desk and not on
 * its backup stick). The heartbeat carries the count; central keeps it per enrolled desk; a kiosk from before the
 * field still has its heartbeats taken. Real kiosks enrolled to the reference central.
 */
async function enrolled(central: { url: string; issueEnrolmentCode(postId: string): { code: string } }, fetchFn?: typeof fetch) {
  const first = openKiosk({ config: { postId: SURABAYA.postId }, role: 'it' })
  const result = (await first.kiosk.call('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code })) as {
    ok: boolean
    value: { kioskKeyId: string }
  }
  expect(result.ok).toBe(true)
  first.close()
  const desk = openKiosk({ dataDir: first.dataDir, config: { postId: SURABAYA.postId }, ...(fetchFn ? { upload: { fetch: fetchFn } } : {}) })
  return { ...desk, kioskId: result.value.kioskKeyId }
}

/** A kiosk from before issue 22's field: its heartbeats carry no `notSafe`. */
const oldKioskFetch: typeof fetch = (input, init) => {
  if (String(input).endsWith('/heartbeat') && typeof init?.body === 'string') {
    const { notSafe: _dropped, ...body } = JSON.parse(init.body) as Record<string, unknown>
    return fetch(input, { ...init, body: JSON.stringify(body) })
  }
  return fetch(input, init)
}

describe('fleet: not yet safe per desk', () => {
  it('the heartbeat carries the desk\'s count, central keeps it per desk, the page shows it; an old heartbeat without it is taken', async () => {
    const central = await testCentral()
    const admin = { authorization: `Bearer ${central.central.adminToken}` }
    const a = await enrolled(central.central)
    const old = await enrolled(central.central, oldKioskFetch)
    for (const n of [1, 2]) expect((await a.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(n) }) })).ok).toBe(true)
    expect(await a.kiosk.call('backup.status')).toMatchObject({ ok: true, value: { backup: { notSafe: 2, unsettled: 2 } } })

    expect(await a.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    expect(await old.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    const fleet = async () => FleetAnswer.parse(await (await fetch(`${central.central.url}/v1/posts`, { headers: admin })).json())
    const desk = async (keyId: string) => (await fleet()).credentials.find((c) => c.credential === keyId)!
    expect((await desk(a.kioskId)).notSafe).toMatchObject({ count: 2, at: expect.any(String) })
    // The old kiosk's heartbeat was stored (the post's row) though it said nothing about safety.
    expect((await desk(old.kioskId)).notSafe).toBeNull()
    const page = await (await fetch(`${central.central.url}/fleet`, { headers: admin })).text()
    const rowOf = (keyId: string) => page.slice(page.indexOf(`data-credential="${keyId}"`)).split('</tr>')[0]!
    expect(page).toContain('<th scope="col">Belum aman</th>')
    expect(rowOf(a.kioskId)).toContain('data-not-safe="2"')
    expect(rowOf(old.kioskId)).not.toContain('data-not-safe')

    // Uploaded: nothing left to lose; the next heartbeat says so.
    await a.kiosk.uploader.runOnce()
    expect(await a.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    expect((await desk(a.kioskId)).notSafe).toMatchObject({ count: 0 })
    const english = await (await fetch(`${central.central.url}/fleet?lang=en`, { headers: admin })).text()
    expect(english).toContain('<th scope="col">Not yet safe</th>')
  })
})
