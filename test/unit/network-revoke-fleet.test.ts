import { describe, expect, it } from 'vitest'
import { SURABAYA } from '../central/testkit'
import { testCentral } from './helpers'
import type { Desk } from './network-kit'
import { eventually, postDesks } from './network-kit'

/**
 * Issue 21.1: IT revokes a kiosk from the fleet page (a confirmation page, then its form), central writes who did it
 * to its admin audit, and the post's other desks refuse the kiosk from their next roster refresh (heartbeat).
 */
describe('revoking a kiosk from the fleet page', () => {
  it('goes through the confirmation, is audited, and the revoked desk is refused by its peer after the next heartbeat', async () => {
    const { central } = await testCentral()
    const [a, b] = (await postDesks(central, SURABAYA.postId, 2, { roundMs: 100, goneAfterMs: 1500 })) as [Desk, Desk]
    await a.kiosk.network.start()
    await b.kiosk.network.start()
    const connected = () => b.kiosk.network.peers().some((p) => p.kioskId === a.kioskId && p.state === 'connected')
    await eventually(connected, 8000, 'A connected at B')

    const admin = { authorization: `Bearer ${central.adminToken}` }
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual' as const,
    })
    const revokedAt = (keyId: string) => (central.db.prepare('SELECT revoked_at FROM kiosks WHERE key_id = ?').get(keyId) as { revoked_at: string | null }).revoked_at
    const audit = () => central.db.prepare('SELECT actor, action, key_id, post_id FROM admin_audit ORDER BY seq').all()

    // The fleet page links each active kiosk to its confirmation page; that page holds the form and its `confirm`.
    expect(await (await fetch(`${central.url}/fleet`, { headers: admin })).text()).toContain(`href="/fleet/revoke?kiosk=${a.kioskId}"`)
    const page = await fetch(`${central.url}/fleet/revoke?kiosk=${a.kioskId}`, { headers: admin })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'")
    const html = await page.text()
    expect(html).toContain('Cabut kiosk?')
    const confirm = /name="confirm" value="([^"]+)"/.exec(html)?.[1]
    expect(confirm).toBeTruthy()
    const confirmB = /name="confirm" value="([^"]+)"/.exec(await (await fetch(`${central.url}/fleet/revoke?kiosk=${b.kioskId}`, { headers: admin })).text())?.[1]

    // Without the page's confirm (another site riding the cookie), with another kiosk's, or without the admin token:
    // refused, and nothing revoked or audited.
    expect((await fetch(`${central.url}/fleet/revoke`, form({ kiosk: a.kioskId }))).status).toBe(403)
    expect((await fetch(`${central.url}/fleet/revoke`, form({ kiosk: a.kioskId, confirm: confirmB! }))).status).toBe(403)
    expect((await fetch(`${central.url}/fleet/revoke`, { ...form({ kiosk: a.kioskId, confirm: confirm! }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(401)
    expect((await fetch(`${central.url}/fleet/revoke`, form({ kiosk: 'no-such-kiosk', confirm: confirm! }))).status).toBe(404)
    expect(revokedAt(a.kioskId)).toBeNull()
    expect(audit()).toEqual([])

    const done = await fetch(`${central.url}/fleet/revoke`, form({ kiosk: a.kioskId, confirm: confirm! }))
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/fleet')
    expect(revokedAt(a.kioskId)).not.toBeNull()
    expect(audit()).toEqual([{ actor: 'admin (header)', action: 'revoke_kiosk', key_id: a.kioskId, post_id: SURABAYA.postId }])
    // Twice is once: the audit says what changed.
    expect((await fetch(`${central.url}/fleet/revoke`, form({ kiosk: a.kioskId, confirm: confirm! }))).status).toBe(303)
    expect(audit()).toHaveLength(1)
    const fleet = await (await fetch(`${central.url}/fleet`, { headers: admin })).text()
    expect(fleet).not.toContain(`href="/fleet/revoke?kiosk=${a.kioskId}"`)
    expect(fleet).toContain(`href="/fleet/revoke?kiosk=${b.kioskId}"`)

    // B holds the old roster until its next heartbeat; with the new one it refuses A, by name of the reason.
    expect(b.kiosk.postTrust.roster()?.kiosks.find((k) => k.kioskId === a.kioskId)?.revoked).toBe(false)
    expect(await b.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    expect(b.kiosk.postTrust.roster()?.kiosks.find((k) => k.kioskId === a.kioskId)?.revoked).toBe(true)
    const certA = (await a.kiosk.postTrust.identity()).certSha256
    await eventually(() => b.kiosk.network.peers().some((p) => p.certSha256 === certA && p.state === 'refused' && p.reason === 'revoked'), 8000, 'A refused as revoked at B')
    expect(connected()).toBe(false)
    a.close()
    b.close()
  })
})
