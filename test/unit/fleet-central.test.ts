import { statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { FleetAnswer, Heartbeat } from '../../main/services/fleet'
import { FleetAnswer as FleetAnswerSchema, heartbeatPath } from '../../main/services/fleet'
import { adminTokenPath } from '../central/admin'
import { fleetJsonSchemas, loadOpenApi } from '../central/openapi'
import type { Central } from '../central/server'
import { makeValidRecords } from '../central/fixtures'
import { DEMO_POST_ID } from '../central/server'
import { demoCentral, tempDir } from './helpers'

async function central(options: { dataDir?: string; now?: () => Date; faults?: string } = {}) {
  const { central: c, dataDir, tokenFor } = await demoCentral({ ...options, allowFaultHeader: false })
  return { c, dataDir, token: tokenFor }
}

const beat = (overrides: Partial<Heartbeat> = {}): Heartbeat => ({
  version: '1.4.2',
  sentAt: '2026-03-10T07:00:00.000Z',
  queue: { queued: 3, uploading: 2, accepted: 40, duplicate: 1, rejected: 4, exported: 0, purged: 10 },
  uploadStatus: 'waiting',
  lastSyncAt: '2026-03-10T06:55:00.000Z',
  diskFreeBytes: 12 * 1024 ** 3,
  lastError: 'network',
  ...overrides,
})

function postBeat(url: string, postId: string, token: string | null, body: unknown) {
  return fetch(`${url}${heartbeatPath(postId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
}

const admin = (c: Central) => ({ authorization: `Bearer ${c.adminToken}` })

describe('central: heartbeats', () => {
  it('stores the latest heartbeat per post and answers with central\'s receive time', async () => {
    const { c, token } = await central()
    const first = await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat({ version: '1.4.1' }))
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ postId: DEMO_POST_ID, receivedAt: expect.any(String) })
    await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat({ version: '1.4.2' }))
    const rows = c.db.prepare('SELECT post_id, body FROM heartbeats').all() as Array<{ post_id: string; body: string }>
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0]!.body)).toMatchObject({ version: '1.4.2' })
  })

  it('a token speaks only for its own post: another post\'s heartbeat is 403 and nothing is stored', async () => {
    const { c, token } = await central()
    const res = await postBeat(c.url, 'JT-3573-01', token(DEMO_POST_ID), beat())
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } })
    expect(c.db.prepare('SELECT count(*) AS n FROM heartbeats').get()).toEqual({ n: 0 })
  })

  it('needs a post token (the admin token is not one)', async () => {
    const { c } = await central()
    expect((await postBeat(c.url, DEMO_POST_ID, null, beat())).status).toBe(401)
    expect((await postBeat(c.url, DEMO_POST_ID, c.adminToken, beat())).status).toBe(401)
  })

  it('refuses a body with anything beyond counts and codes: extra fields, free text as an error, bad counts', async () => {
    const { c, token } = await central()
    const t = token(DEMO_POST_ID)
    for (const body of [
      { ...beat(), operatorName: 'Sri' },
      beat({ lastError: 'Budi Santoso 3578014101900003' }),
      { ...beat(), queue: { ...beat().queue, queued: -1 } },
      { ...beat(), queue: { queued: 1 } },
      beat({ version: '<script>' }),
    ]) {
      const res = await postBeat(c.url, DEMO_POST_ID, t, body)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_body' } })
    }
    expect(c.db.prepare('SELECT count(*) AS n FROM heartbeats').get()).toEqual({ n: 0 })
  })

  it('refuses a body that is not JSON, or not labelled as JSON', async () => {
    const { c, token } = await central()
    const headers = { authorization: `Bearer ${token(DEMO_POST_ID)}` }
    const notJson = await fetch(`${c.url}${heartbeatPath(DEMO_POST_ID)}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{' })
    expect(notJson.status).toBe(400)
    const text = await fetch(`${c.url}${heartbeatPath(DEMO_POST_ID)}`, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' })
    expect(text.status).toBe(415)
  })
})

describe('central: fleet view for IT', () => {
  it('GET /v1/posts lists all 56 demo posts with their latest heartbeat, admin token only', async () => {
    const { c, token } = await central()
    await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat())
    expect((await fetch(`${c.url}/v1/posts`)).status).toBe(401)
    expect((await fetch(`${c.url}/v1/posts`, { headers: { authorization: `Bearer ${token(DEMO_POST_ID)}` } })).status).toBe(401)
    const res = await fetch(`${c.url}/v1/posts`, { headers: admin(c) })
    expect(res.status).toBe(200)
    const fleet: FleetAnswer = FleetAnswerSchema.parse(await res.json())
    expect(fleet.posts).toHaveLength(56)
    expect(fleet.staleAfterHours).toBe(2)
    const demo = fleet.posts.find((p) => p.postId === DEMO_POST_ID)!
    expect(demo).toMatchObject({ stale: false, heartbeat: beat(), lastSeenAt: expect.any(String) })
    expect(fleet.posts.filter((p) => p.lastSeenAt === null)).toHaveLength(55)
    expect(fleet.posts.every((p) => p.lastSeenAt !== null || p.stale)).toBe(true)
    // The post tokens stay at central.
    expect(JSON.stringify(fleet)).not.toContain(token(DEMO_POST_ID))
  })

  it('a post is stale after 2 hours without a heartbeat, by central\'s clock', async () => {
    let now = Date.parse('2026-03-10T07:00:00Z')
    const { c, token } = await central({ now: () => new Date(now) })
    await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat({ sentAt: '2020-01-01T00:00:00.000Z' }))
    const demo = async () => FleetAnswerSchema.parse(await (await fetch(`${c.url}/v1/posts`, { headers: admin(c) })).json()).posts.find((p) => p.postId === DEMO_POST_ID)!
    expect((await demo()).stale).toBe(false)
    now += 2 * 60 * 60 * 1000
    expect((await demo()).stale).toBe(false)
    now += 1000
    expect((await demo()).stale).toBe(true)
  })

  it('GET /fleet is an HTML table of every post; stale and never-seen posts are marked in words', async () => {
    let now = Date.parse('2026-03-10T07:00:00Z')
    const { c, token } = await central({ now: () => new Date(now) })
    await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat())
    await postBeat(c.url, 'JT-3573-01', token('JT-3573-01'), beat({ version: '1.3.0' }))
    now += 3 * 60 * 60 * 1000
    await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat())
    const res = await fetch(`${c.url}/fleet?lang=en`, { headers: admin(c) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await res.text()
    expect(html.match(/<tr class="(ok|stale|never)" data-post=/g)).toHaveLength(56)
    expect(html).toMatch(new RegExp(`<tr class="ok" data-post="${DEMO_POST_ID}">.*1\\.4\\.2.*<td class="num">5</td>`))
    expect(html).toMatch(/<tr class="stale" data-post="JT-3573-01">.*Stale.*1\.3\.0/)
    expect(html.match(/No heartbeat yet/g)).toHaveLength(54)
    expect(html).toContain('1 stale')
  })

  it('GET /fleet is Indonesian first: posts with a problem, then active ones by today\'s registrations, then the never-seen (issue 19.9)', async () => {
    // 23:30 WIB: a registration before midnight is yesterday's once the day turns.
    let now = Date.parse('2026-03-10T16:30:00Z')
    const { c, token } = await central({ now: () => new Date(now) })
    const quiet = { queue: { queued: 0, uploading: 0, accepted: 5, duplicate: 0, rejected: 0, exported: 0, purged: 0 }, uploadStatus: 'idle' as const, lastError: null }
    const register = async (postId: string, n: number, start: number) => {
      const batchId = crypto.randomUUID()
      const res = await fetch(`${c.url}/v1/registrations:batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token(postId)}`, 'idempotency-key': batchId },
        body: JSON.stringify({ postId, batchId, records: makeValidRecords(n, postId, { start }) }),
      })
      expect(res.status).toBe(200)
    }
    await register('JT-3573-01', 4, 0)
    now = Date.parse('2026-03-10T17:10:00Z') // 00:10 WIB on the 11th
    await register(DEMO_POST_ID, 2, 10)
    await register('JT-3573-01', 1, 20)
    await postBeat(c.url, DEMO_POST_ID, token(DEMO_POST_ID), beat(quiet))
    await postBeat(c.url, 'JT-3573-01', token('JT-3573-01'), beat(quiet))
    // Records central rejected: a problem, whatever else the post reports.
    await postBeat(c.url, 'JT-3578-02', token('JT-3578-02'), beat({ ...quiet, queue: { ...quiet.queue, rejected: 2 } }))

    const html = await (await fetch(`${c.url}/fleet`, { headers: admin(c) })).text()
    expect(html).toContain('<html lang="id">')
    expect(html).toContain('<h1>Keadaan posko</h1>')
    expect(html).toContain('<a href="?lang=en" lang="en" hreflang="en">English</a>')
    expect(html).toContain('<th scope="col">Pendaftaran hari ini</th>')
    expect(html).toContain('1 bermasalah')
    expect(html).toContain('3 pendaftaran hari ini')
    expect(html.match(/Belum ada kabar/g)).toHaveLength(53)
    expect(html).not.toMatch(/No heartbeat yet|Stale|just now|Posts and their/)
    const order = [...html.matchAll(/data-post="([^"]+)"/g)].map((m) => m[1])
    expect(order.slice(0, 3)).toEqual(['JT-3578-02', DEMO_POST_ID, 'JT-3573-01'])
    const cells = (postId: string) => html.slice(html.indexOf(`data-post="${postId}"`)).split('</tr>')[0]!
    expect(cells('JT-3578-02')).toContain('<span class="badge alert">Bermasalah</span>')
    expect(cells(DEMO_POST_ID)).toMatch(/<span class="badge ok">Baik<\/span><\/td><td class="num">2<\/td>/)
    expect(cells('JT-3573-01')).toMatch(/<td class="num">1<\/td>/)
    expect(cells(DEMO_POST_ID)).toContain('siap')

    const english = await (await fetch(`${c.url}/fleet?lang=en`, { headers: admin(c) })).text()
    expect(english).toContain('<html lang="en">')
    expect(english).toContain('<h1>Posko fleet</h1>')
    expect(english).toContain('<th scope="col">Registrations today</th>')
    // The token link keeps the language it was opened in.
    const login = await fetch(`${c.url}/fleet?token=${encodeURIComponent(c.adminToken)}&lang=en`, { redirect: 'manual' })
    expect(login.headers.get('location')).toBe('/fleet?lang=en')
  })

  it('GET /fleet?token= moves the token into an HttpOnly cookie and out of the address bar', async () => {
    const { c } = await central()
    const login = await fetch(`${c.url}/fleet?token=${encodeURIComponent(c.adminToken)}`, { redirect: 'manual' })
    expect(login.status).toBe(303)
    expect(login.headers.get('location')).toBe('/fleet')
    const setCookie = login.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^posko_admin=[^;]+; Path=\/fleet; HttpOnly; SameSite=Strict$/)
    const page = await fetch(`${c.url}/fleet`, { headers: { cookie: setCookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect((await fetch(`${c.url}/fleet`, { headers: { cookie: 'posko_admin=wrong' } })).status).toBe(401)
    expect((await fetch(`${c.url}/fleet?token=wrong`, { redirect: 'manual' })).status).toBe(401)
  })

  it('escapes what it shows: a post name with markup is text', async () => {
    const { renderFleetPage } = await import('../central/fleet-page')
    const page = renderFleetPage({
      generatedAt: '2026-03-10T07:00:00.000Z',
      staleAfterHours: 2,
      duplicateWindowMinutes: 60,
      posts: [{ postId: 'JT-1', name: '<img src=x onerror=alert(1)>', regencyCode: '35.78', lastSeenAt: null, stale: true, heartbeat: null, auditAlert: null }],
      credentials: [],
    })
    expect(page.html).not.toContain('<img')
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('the admin token is made once (0600) and kept across restarts', async () => {
    const dataDir = tempDir('posko-central-')
    const first = await central({ dataDir })
    const token = first.c.adminToken
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(statSync(adminTokenPath(dataDir)).mode & 0o777).toBe(0o600)
    await first.c.close()
    const second = await central({ dataDir })
    expect(second.c.adminToken).toBe(token)
  })

  it('IT\'s routes are not faulted: a chaos run does not also break the view of it', async () => {
    const { c } = await central({ faults: '500=1' })
    expect((await fetch(`${c.url}/v1/health`)).status).toBe(500)
    expect((await fetch(`${c.url}/v1/posts`, { headers: admin(c) })).status).toBe(200)
  })
})

describe('central: openapi.json for the fleet', () => {
  const doc = loadOpenApi()

  it('describes Heartbeat and FleetAnswer exactly as the zod schemas (rerun test/central/openapi.ts if not)', () => {
    const generated = fleetJsonSchemas()
    expect(doc.components.schemas.Heartbeat).toEqual(generated.Heartbeat)
    expect(doc.components.schemas.FleetAnswer).toEqual(generated.FleetAnswer)
  })

  it('puts IT\'s routes behind the admin token and the heartbeat behind the post token', () => {
    expect(doc.paths['/fleet']!.get!.security).toEqual([{ adminToken: [] }])
    expect(doc.paths['/v1/posts']!.get!.security).toEqual([{ adminToken: [] }])
    expect(doc.paths['/v1/posts/{id}/heartbeat']!.post!.security).toBeUndefined()
  })
})
