import { describe, expect, it } from 'vitest'
import type { QueueStatus } from '../../common/records'
import type { UploadState } from '../../common/upload'
import type { HeartbeatOptions } from '../../main/services/fleet'
import { createHeartbeat, Heartbeat, uploadRunEnded } from '../../main/services/fleet'
import { diskSpace } from '../../main/services/platform/disk'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { toQueueStatus } from '../../main/services/upload/status'
import type { Central } from '../central/server'
import { DEMO_POST_ID } from '../central/server'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { demoCentral, manualClock, openKiosk, tempDir } from './helpers'



async function central() {
  const { central: c, token } = await demoCentral()
  return { c, token }
}

const queue: QueueStatus = toQueueStatus(
  [
    { state: 'queued', n: 2 },
    { state: 'accepted', n: 5 },
    { state: 'rejected', n: 1 },
  ],
  '2026-03-10T06:00:00.000Z',
)
const upload: UploadState = { status: 'idle', pending: 2, lastSyncAt: '2026-03-10T06:00:00.000Z', lastError: null, nextAttemptAt: null, progress: null }

function sender(overrides: Partial<HeartbeatOptions> = {}) {
  const logger = createMemoryLogger()
  const clock = manualClock(Date.parse('2026-03-10T07:00:00Z'))
  const heartbeat = createHeartbeat({
    credentials: () => null,
    postId: DEMO_POST_ID,
    version: '1.4.2',
    queueStatus: () => queue,
    uploadState: () => upload,
    dataDir: tempDir(),
    diskSpace: async (path) => ({ path, freeBytes: 5_000_000_000, totalBytes: 10_000_000_000 }),
    clock,
    logger,
    ...overrides,
  })
  return { heartbeat, logger, clock }
}

function stored(c: Central, postId = DEMO_POST_ID): Heartbeat | null {
  const row = c.db.prepare('SELECT body FROM heartbeats WHERE post_id = ?').get(postId) as { body: string } | undefined
  return row ? Heartbeat.parse(JSON.parse(row.body)) : null
}

describe('heartbeat sender', () => {
  it('sends version, queue counts by state, last sync, disk free and the last error code to central', async () => {
    const { c, token } = await central()
    const { heartbeat } = sender({ credentials: () => ({ baseUrl: c.url, token }) })
    await expect(heartbeat.send()).resolves.toEqual({ ok: true, at: '2026-03-10T07:00:00.000Z' })
    expect(stored(c)).toEqual({
      version: '1.4.2',
      sentAt: '2026-03-10T07:00:00.000Z',
      queue: queue.counts,
      uploadStatus: 'idle',
      lastSyncAt: '2026-03-10T06:00:00.000Z',
      diskFreeBytes: 5_000_000_000,
      lastError: null,
    })
    expect(heartbeat.last()).toEqual({ ok: true, at: '2026-03-10T07:00:00.000Z' })
  })

  it('does nothing, quietly, on a kiosk that is not enrolled', async () => {
    const { heartbeat, logger } = sender()
    await expect(heartbeat.send()).resolves.toMatchObject({ ok: false, reason: 'not_configured' })
    expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([])
  })

  it('never throws: refused tokens, captive portals, dead links and 5xx come back as reasons and a warning', async () => {
    const { c, token } = await central()
    const withFault = (fault: string): typeof fetch => (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-posko-fault': fault } })
    const cases: Array<[Partial<HeartbeatOptions>, string]> = [
      [{ credentials: () => ({ baseUrl: c.url, token: 'not-a-real-token-0000' }) }, 'auth'],
      [{ credentials: () => ({ baseUrl: c.url, token }), fetch: withFault('captive') }, 'bad_answer'],
      [{ credentials: () => ({ baseUrl: c.url, token }), fetch: withFault('500') }, 'http_500'],
      [{ credentials: () => ({ baseUrl: c.url, token }), fetch: withFault('drop-before') }, 'network'],
      [{ credentials: () => ({ baseUrl: 'http://127.0.0.1:9', token }) }, 'network'],
    ]
    for (const [options, reason] of cases) {
      const { heartbeat, logger } = sender(options)
      await expect(heartbeat.send()).resolves.toMatchObject({ ok: false, reason })
      expect(logger.entries).toContainEqual({ level: 'warn', message: 'heartbeat not delivered', fields: { reason } })
    }
    expect(stored(c)).toBeNull()
  })

  it('joins a send already in flight instead of sending twice', async () => {
    const { c, token } = await central()
    let calls = 0
    const counting: typeof fetch = (input, init) => {
      calls++
      return fetch(input, init)
    }
    const { heartbeat } = sender({ credentials: () => ({ baseUrl: c.url, token }), fetch: counting })
    const [a, b] = await Promise.all([heartbeat.send(), heartbeat.send()])
    expect(a).toBe(b)
    expect(calls).toBe(1)
  })

  it('sends shortly after start and then hourly', async () => {
    const sent: string[] = []
    const recording: typeof fetch = async (input) => {
      sent.push(String(input))
      return new Response(JSON.stringify({ postId: DEMO_POST_ID, receivedAt: '2026-03-10T07:00:00.000Z' }), { status: 200, headers: { 'content-type': 'application/json' } })
    }
    const { heartbeat, clock } = sender({ credentials: () => ({ baseUrl: 'https://central.example.id/', token: 'token-0000000000000000' }), fetch: recording })
    const flush = () => new Promise((resolve) => setImmediate(resolve))
    heartbeat.start()
    clock.advance(29_999)
    await flush()
    expect(sent).toEqual([])
    clock.advance(1)
    await flush()
    expect(sent).toEqual([`https://central.example.id/v1/posts/${DEMO_POST_ID}/heartbeat`])
    clock.advance(60 * 60 * 1000)
    await flush()
    expect(sent).toHaveLength(2)
    heartbeat.stop()
    clock.advance(5 * 60 * 60 * 1000)
    await flush()
    expect(sent).toHaveLength(2)
  })

  it('knows when an upload run ended (the other moment to send)', () => {
    expect(uploadRunEnded('running', 'idle')).toBe(true)
    expect(uploadRunEnded('running', 'waiting')).toBe(true)
    expect(uploadRunEnded('idle', 'idle')).toBe(false)
    expect(uploadRunEnded('idle', 'running')).toBe(false)
    expect(uploadRunEnded(null, 'idle')).toBe(false)
  })

  it('measures the data folder\'s free space', async () => {
    const dir = tempDir()
    const space = await diskSpace(dir)
    expect(space.path).toBe(dir)
    expect(space.freeBytes).toBeGreaterThan(0)
    expect(space.totalBytes).toBeGreaterThanOrEqual(space.freeBytes!)
    await expect(diskSpace('/definitely/not/here')).resolves.toEqual({ path: '/definitely/not/here', freeBytes: null, totalBytes: null })
  })
})

describe('heartbeat from a real kiosk', () => {
  it('after an upload run central holds the kiosk\'s counts, and nothing of the people registered', async () => {
    const { c, token } = await central()
    const { kiosk, dataDir } = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock() } })
    for (let i = 0; i < 3; i++) {
      const result = await kiosk.call('registration.submit', { draft: makeDraft({ nik: i === 0 ? SITI_NIK : nikFor(i + 1) }) })
      expect(result.ok).toBe(true)
    }
    await kiosk.uploader.runOnce()
    await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(9) }) })
    const queueStatus = async () => {
      const r = await kiosk.call('queue.status')
      if (!r.ok) throw new Error(r.error.code)
      return r.value as QueueStatus
    }
    const status = await queueStatus()
    const heartbeat = createHeartbeat({
      credentials: () => ({ baseUrl: c.url, token }),
      postId: DEMO_POST_ID,
      version: '9.9.9',
      queueStatus: () => status,
      uploadState: () => kiosk.uploader.state(),
      dataDir,
      clock: manualClock(),
      logger: createMemoryLogger(),
    })
    await expect(heartbeat.send()).resolves.toMatchObject({ ok: true })
    const hb = stored(c)!
    expect(hb).toMatchObject({ version: '9.9.9', queue: { accepted: 3, queued: 1 }, uploadStatus: 'idle', lastError: null, lastSyncAt: expect.any(String) })
    expect(hb.diskFreeBytes).toBeGreaterThan(0)
    const row = JSON.stringify(c.db.prepare('SELECT * FROM heartbeats').all())
    for (const marker of [SITI_NIK, MARKERS.name, MARKERS.name.toLowerCase(), MARKERS.phoneE164, MARKERS.email, MARKERS.street]) {
      expect(row).not.toContain(marker)
    }
  })
})
