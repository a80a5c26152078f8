import { describe, expect, it } from 'vitest'
import type { HeartbeatOptions } from '../../main/services/fleet'
import { buildHeartbeat, createHeartbeat, FleetAnswer, Heartbeat } from '../../main/services/fleet'
import { renderFleetPage } from '../central/fleet-page'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createAuditLog } from '../../main/services/store/audit'
import { openDatabase } from '../../main/services/store/db'
import { toQueueStatus } from '../../main/services/upload/status'
import type { Central } from '../central/server'
import { DEMO_POST_ID } from '../central/server'
import { demoCentral, manualClock, tempDir } from './helpers'
import { join } from 'node:path'

/**
 * Issue 17 (low): the audit chain's head goes to central in every heartbeat, so a kiosk whose audit tail was
 * rewritten is caught off the machine; and the vault key's protection is shown to IT.
 */

const hash = (c: string) => c.repeat(64)

function sender(c: Central, token: string, overrides: Partial<HeartbeatOptions> = {}) {
  return createHeartbeat({
    credentials: () => ({ baseUrl: c.url, token }),
    postId: DEMO_POST_ID,
    version: '1.4.2',
    queueStatus: () => toQueueStatus([], null),
    uploadState: () => ({ status: 'idle', pending: 0, lastSyncAt: null, lastError: null, nextAttemptAt: null, progress: null }),
    dataDir: tempDir(),
    diskSpace: async (path) => ({ path, freeBytes: 5_000_000_000, totalBytes: 10_000_000_000 }),
    clock: manualClock(Date.parse('2026-03-10T07:00:00Z')),
    logger: createMemoryLogger(),
    ...overrides,
  })
}

function stored(c: Central): Heartbeat {
  const row = c.db.prepare('SELECT body FROM heartbeats WHERE post_id = ?').get(DEMO_POST_ID) as { body: string }
  return Heartbeat.parse(JSON.parse(row.body))
}

async function demoRow(c: Central) {
  const res = await fetch(`${c.url}/v1/posts`, { headers: { authorization: `Bearer ${c.adminToken}` } })
  return FleetAnswer.parse(await res.json()).posts.find((p) => p.postId === DEMO_POST_ID)!
}

async function fleetHtml(c: Central): Promise<string> {
  const page = await fetch(`${c.url}/fleet?lang=en`, { headers: { authorization: `Bearer ${c.adminToken}` } })
  const html = await page.text()
  return html.slice(html.indexOf(`data-post="${DEMO_POST_ID}"`)).split('</tr>')[0]!
}

describe('heartbeat: audit head and key protection', () => {
  it('the audit log knows its head, and the heartbeat carries it and the key protection to central', async () => {
    const db = openDatabase(join(tempDir(), 'posko.db'))
    const audit = createAuditLog(db, () => new Date('2026-03-10T07:00:00Z'))
    expect(audit.head()).toBeNull()
    audit.append({ actor: null, action: 'sign_in' })
    const row = audit.append({ actor: null, action: 'sign_out' })
    expect(audit.head()).toEqual({ seq: 2, hash: row.hash })

    const { central: c, token } = await demoCentral()
    await expect(sender(c, token, { auditHead: () => audit.head(), keyProtection: () => 'keyring' }).send()).resolves.toMatchObject({ ok: true })
    expect(stored(c)).toMatchObject({ auditHead: { seq: 2, hash: row.hash }, keyProtection: 'keyring' })
    db.close()
  })

  it('a value out of shape is sent as null rather than costing the whole heartbeat', async () => {
    const { central: c, token } = await demoCentral()
    await expect(sender(c, token, { auditHead: () => ({ seq: 0, hash: 'nope' }), keyProtection: () => 'basic_text' }).send()).resolves.toMatchObject({ ok: true })
    expect(stored(c)).toMatchObject({ auditHead: null, keyProtection: null })
  })

  it('central flags a kiosk whose audit head goes back or changes hash at the same seq, and keeps the flag', async () => {
    const { central: c, token } = await demoCentral()
    let head: { seq: number; hash: string } | null = { seq: 10, hash: hash('a') }
    const hb = sender(c, token, { auditHead: () => head })
    await hb.send()
    head = { seq: 12, hash: hash('b') }
    await hb.send()
    head = { seq: 12, hash: hash('b') }
    await hb.send()
    expect((await demoRow(c)).auditAlert).toBeNull()
    expect(await fleetHtml(c)).not.toContain('audit chain rewritten?')

    // Same seq, another hash: the last row was rewritten.
    head = { seq: 12, hash: hash('c') }
    await hb.send()
    expect((await demoRow(c)).auditAlert).toMatchObject({ previous: { seq: 12, hash: hash('b') }, reported: { seq: 12, hash: hash('c') } })
    // It continues from the rewritten head now; the flag stays until IT has looked.
    head = { seq: 13, hash: hash('d') }
    await hb.send()
    expect(await fleetHtml(c)).toContain('audit chain rewritten?')

    // Back to an earlier seq: rows were dropped.
    head = { seq: 5, hash: hash('e') }
    await hb.send()
    expect((await demoRow(c)).auditAlert).toMatchObject({ previous: { seq: 13 }, reported: { seq: 5, hash: hash('e') } })
  })

  it('a kiosk without the field (an older version) is not flagged, and the fleet page highlights key protection "none"', async () => {
    const { central: c, token } = await demoCentral()
    await sender(c, token).send()
    expect(stored(c)).not.toHaveProperty('auditHead')
    expect((await demoRow(c)).auditAlert).toBeNull()
    await sender(c, token, { keyProtection: () => 'none' }).send()
    expect(await fleetHtml(c)).toContain('<span class="badge alert">none: key unprotected</span>')
    await sender(c, token, { keyProtection: () => 'tpm' }).send()
    expect(await fleetHtml(c)).toContain('<td>tpm</td>')
  })
})

describe('a refused update on the fleet page', () => {
  it('the heartbeat carries the updater’s last error code; central shows it in the post’s row', () => {
    const base = { version: '1.4.2', now: new Date('2026-12-06T08:00:00Z'), queue: toQueueStatus([], null), upload: { status: 'idle', pending: 0, lastSyncAt: null, lastError: null, nextAttemptAt: null, progress: null } as const, diskFreeBytes: 1 }
    const hb = buildHeartbeat({ ...base, updateError: 'ERR_UPDATE_SIGNATURE' })
    expect(Heartbeat.parse(hb).updateError).toBe('ERR_UPDATE_SIGNATURE')
    // A code out of shape is not sent as it came.
    expect(buildHeartbeat({ ...base, updateError: '<script>' }).updateError).toBeNull()
    const page = renderFleetPage({
      generatedAt: '2026-12-06T08:00:05Z',
      staleAfterHours: 25,
      duplicateWindowMinutes: 60,
      credentials: [],
      posts: [{ postId: 'JT-3578-01', name: 'Kota Surabaya', lastSeenAt: '2026-12-06T08:00:00Z', stale: false, heartbeat: hb, auditAlert: null }],
    } as never, { lang: 'en' }).html
    expect(page).toContain('<th scope="col">Update problem</th>')
    expect(page).toContain('<span class="badge alert">ERR_UPDATE_SIGNATURE</span>')
  })
})
