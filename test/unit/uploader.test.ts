import { describe, expect, it } from 'vitest'
import type { Receipt, RegistrationView } from '../../common/records'
import type { UploadState } from '../../common/upload'
import type { Result } from '../../common/result'
import { createCentralClient } from '../../main/services/central/client'
import type { Central } from '../central/server'
import { DEMO_POST_ID } from '../central/server'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { demoCentral, manualClock, openKiosk, watchedTransport } from './helpers'

const central = demoCentral

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

/** Upload requests through the kiosk's own transport; the first ones carry the faults of `plan`, in order. */
const faultyTransport = (plan: string[]) => watchedTransport({ fault: () => plan.shift() })

async function submit(kiosk: ReturnType<typeof openKiosk>['kiosk'], n: number, offset = 0): Promise<Receipt[]> {
  const out: Receipt[] = []
  for (let i = 0; i < n; i++) out.push(value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(offset + i) }) })))
  return out
}

function centralCount(c: Central): { rows: number; distinct: number } {
  return c.db.prepare('SELECT count(*) AS rows, count(DISTINCT record_id) AS "distinct" FROM registrations').get() as never
}

const stateOf = async (kiosk: ReturnType<typeof openKiosk>['kiosk'], id: string) =>
  value<RegistrationView>(await kiosk.call('registration.get', { id })).state

describe('uploader against the reference central', () => {
  it('uploads queued records in a batch; states change to accepted with central ids; last sync recorded', async () => {
    const { central: c, token } = await central()
    const clock = manualClock()
    const { kiosk } = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock } })
    const receipts = await submit(kiosk, 5)
    await kiosk.uploader.runOnce()
    for (const r of receipts) {
      const view = value<RegistrationView>(await kiosk.call('registration.get', { id: r.id }))
      expect(view.state).toBe('accepted')
      expect(view.centralId).toMatch(/\S+/)
    }
    expect(centralCount(c)).toEqual({ rows: 5, distinct: 5 })
    expect(value<UploadState>(await kiosk.call('upload.state'))).toMatchObject({ status: 'idle', pending: 0, lastError: null, lastSyncAt: new Date(clock.now()).toISOString() })
    expect(value(await kiosk.call('queue.status'))).toMatchObject({ counts: { accepted: 5, queued: 0 }, lastSyncAt: expect.any(String) })
  })

  it.each([
    ['a captive-portal 200 HTML page', 'captive', 'bad_answer', 0],
    ['a truncated 200 body (central did commit)', 'truncate', 'bad_answer', 3],
    ['a 500', '500', 'server_error', 0],
  ])('never takes %s as success; the retry gets the real answer, each record once', async (_label, fault, code, committed) => {
    const { central: c, token } = await central()
    const transportWithFault = faultyTransport([fault])
    const { kiosk } = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), transport: transportWithFault } })
    const receipts = await submit(kiosk, 3)
    await kiosk.uploader.runOnce()
    expect(kiosk.uploader.state()).toMatchObject({ status: 'waiting', lastError: code, pending: 3 })
    for (const r of receipts) expect(await stateOf(kiosk, r.id)).toBe('queued')
    expect(centralCount(c).rows).toBe(committed)

    await kiosk.uploader.runOnce()
    for (const r of receipts) expect(await stateOf(kiosk, r.id)).toBe('accepted')
    expect(centralCount(c)).toEqual({ rows: 3, distinct: 3 })
    // The retry re-sent the same batch under the same key.
    expect(transportWithFault.calls).toEqual(['POST /v1/registrations:batch', 'POST /v1/registrations:batch'])
  })

  it('never takes a dropped connection after central committed as success: the batch goes again at once under its key and gets the real answer, each record once', async () => {
    const { central: c, token } = await central()
    const transportWithFault = faultyTransport(['drop-after'])
    const { kiosk, logger } = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), transport: transportWithFault } })
    const receipts = await submit(kiosk, 3)
    await kiosk.uploader.runOnce()
    // A reset mid-request is a cut on a link that drops: sent again in the same run (uploader.ts CUT_RETRIES), not
    // after a backoff, and never taken as success on its own.
    expect(logger.entries.some((l) => l.message.startsWith('upload: batch cut off'))).toBe(true)
    expect(kiosk.uploader.state()).toMatchObject({ status: 'idle', lastError: null, pending: 0 })
    for (const r of receipts) expect(await stateOf(kiosk, r.id)).toBe('accepted')
    expect(centralCount(c)).toEqual({ rows: 3, distinct: 3 })
    expect(transportWithFault.calls).toEqual(['POST /v1/registrations:batch', 'POST /v1/registrations:batch'])
  })

  it('a 409 (same key, another body) is never success', async () => {
    const { central: c, token } = await central()
    const client = createCentralClient({ baseUrl: c.url, token })
    const { kiosk } = openKiosk({ config: { centralUrl: c.url } })
    const [a, b] = await submit(kiosk, 2)
    const records = await Promise.all([a!, b!].map(async (r) => value<RegistrationView>(await kiosk.call('registration.get', { id: r.id })).record))
    const batchId = '01890a5d-ac96-774b-bcce-b302099a8057'
    expect((await client.postBatch({ postId: DEMO_POST_ID, batchId, records: [records[0]!] })).ok).toBe(true)
    expect(await client.postBatch({ postId: DEMO_POST_ID, batchId, records })).toEqual({ ok: false, failure: { kind: 'conflict' } })
  })

  it('honours Retry-After exactly: nothing is sent before it has passed', async () => {
    const { central: c, token } = await central()
    const clock = manualClock()
    // 503 rather than 429: a 429 starts a storm on central's own (real) clock, which this test does not move.
    const transportWithFault = faultyTransport(['503=120'])
    const { kiosk } = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock, transport: transportWithFault, pollMs: 3_600_000 } })
    await submit(kiosk, 2)
    kiosk.uploader.start()
    clock.advance(0)
    await waitFor(() => kiosk.uploader.state().status === 'waiting')
    expect(kiosk.uploader.state()).toMatchObject({ lastError: 'overloaded', nextAttemptAt: new Date(clock.now() + 120_000).toISOString() })
    expect(transportWithFault.calls).toHaveLength(1)
    clock.advance(119_999)
    await settle()
    expect(transportWithFault.calls).toHaveLength(1)
    clock.advance(1)
    await waitFor(() => kiosk.uploader.state().pending === 0)
    expect(transportWithFault.calls).toHaveLength(2)
    expect(centralCount(c).rows).toBe(2)
    kiosk.uploader.stop()
  })

  it('stops on 401 and alerts, without retrying on its own', async () => {
    const { central: c } = await central()
    const clock = manualClock()
    const { kiosk } = openKiosk({ config: { centralUrl: c.url }, centralToken: 'not-a-real-token', upload: { clock } })
    const seen: UploadState[] = []
    kiosk.events.subscribe((name, payload) => name === 'upload.state' && seen.push(payload as UploadState))
    await submit(kiosk, 1)
    await kiosk.uploader.runOnce()
    expect(kiosk.uploader.state()).toMatchObject({ status: 'auth_error', lastError: 'auth', pending: 1, nextAttemptAt: null })
    expect(seen.at(-1)?.status).toBe('auth_error')
    expect(clock.pending()).toEqual([])
  })

  it('splits a batch central refuses as too large (413)', async () => {
    const { central: c, token } = await central({ limits: { maxRecords: 3 } })
    const { kiosk } = openKiosk({ config: { centralUrl: c.url }, centralToken: token, upload: { clock: manualClock(), limits: { maxRecords: 8 } } })
    await submit(kiosk, 8)
    await kiosk.uploader.runOnce()
    expect(kiosk.uploader.state()).toMatchObject({ status: 'idle', pending: 0 })
    expect(centralCount(c)).toEqual({ rows: 8, distinct: 8 })
  })

  it('backs off with full jitter, opens the breaker after repeated failures and probes health before resuming', async () => {
    const { central: c, token } = await central()
    const clock = manualClock()
    const transportWithFault = faultyTransport(['500', '500', '500'])
    const { kiosk } = openKiosk({
      config: { centralUrl: c.url },
      centralToken: token,
      upload: { clock, transport: transportWithFault, random: () => 0.5, backoff: { baseMs: 1000, capMs: 60_000, breakerThreshold: 3, breakerOpenMs: 30_000 } },
    })
    await submit(kiosk, 1)
    const delays: number[] = []
    for (let i = 0; i < 3; i++) {
      await kiosk.uploader.runOnce()
      delays.push(Date.parse(kiosk.uploader.state().nextAttemptAt!) - clock.now())
    }
    // random()=0.5 → half of 1 s, 2 s, 4 s; the third failure opens the breaker (at least 30 s).
    expect(delays).toEqual([500, 1000, 30_000])
    expect(kiosk.uploader.state().status).toBe('offline')
    kiosk.uploader.start()
    clock.advance(30_000)
    await waitFor(() => kiosk.uploader.state().pending === 0)
    expect(transportWithFault.calls.slice(3)).toEqual(['GET /v1/health', 'POST /v1/registrations:batch'])
    kiosk.uploader.stop()
  })
})

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
}

async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 5))
  }
}
