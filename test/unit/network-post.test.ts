import { describe, expect, it } from 'vitest'
import { createDeskStatusWriter } from '../../main/services/network/desk-status'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { openDatabase } from '../../main/services/store/db'
import { createPostDesksRepository } from '../../main/services/store/post-desks'
import { join } from 'node:path'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { SURABAYA } from '../central/testkit'
import { openKiosk, tempDir, testCentral } from './helpers'
import type { Desk } from './network-kit'
import { eventually, postDesks } from './network-kit'
import type { PostOverviewView } from '../../common/network'

/**
 * Issue 21.4: every desk's home screen shows the post's totals today and each desk's state. Three real desks enrolled
 * to the reference central; A and B on the post network, C never started. What B shows of A comes only through the
 * post log (A's registrations, central's answers, A's desk status events) and the peer list.
 */
const post = async (desk: Pick<Desk, 'kiosk'>) => {
  const answer = (await desk.kiosk.call('network.post')) as { ok: true; value: { post: PostOverviewView | null } }
  expect(answer.ok).toBe(true)
  return answer.value.post
}

/** Polls B's panel until `check` holds (then returns it), or returns the last answer after 8 s for the test to fail on. */
async function postWhen(desk: Pick<Desk, 'kiosk'>, check: (view: PostOverviewView) => boolean): Promise<PostOverviewView | null> {
  const until = Date.now() + 8000
  let view = await post(desk)
  while (!(view && check(view)) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    view = await post(desk)
  }
  return view
}

describe('the post panel (network.post)', () => {
  it('shows the post\'s totals today and each desk: online, last seen, queue depth, from the replicated log', async () => {
    const { central } = await testCentral()
    // Status events on every change (no 30 s throttle here; its own test below), checked every 50 ms by the kiosk.
    const desks = await postDesks(central, SURABAYA.postId, 3, { roundMs: 100, goneAfterMs: 1500, deskStatus: { minIntervalMs: 0, tickMs: 50 } })
    const [a, b, c] = desks as [Desk, Desk, Desk]
    await a.kiosk.network.start()
    await b.kiosk.network.start()

    for (const n of [1, 2]) expect(await a.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(n) }) })).toMatchObject({ ok: true })
    expect(await b.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(3) }) })).toMatchObject({ ok: true })

    const deskOf = (view: PostOverviewView | null, kioskId: string) => view?.desks.find((d) => d.kioskId === kioskId)
    let seen = await postWhen(b, (v) => v.totals.registered === 3 && deskOf(v, a.kioskId)?.queueDepth === 2)
    expect(seen).toEqual({
      day: expect.any(String),
      totals: { registered: 3, uploaded: 0, waiting: 3 },
      desks: [
        { kioskId: a.kioskId, name: 'Meja 1', self: false, online: true, lastSeenAt: expect.any(String), queueDepth: 2 },
        { kioskId: b.kioskId, name: 'Meja 2', self: true, online: true, lastSeenAt: expect.any(String), queueDepth: 1 },
        // Never on the network: no last seen, no queue (not an empty figure).
        { kioskId: c.kioskId, name: 'Meja 3', self: false, online: false, lastSeenAt: null, queueDepth: null },
      ],
    })
    // The day starts at this kiosk's local midnight (its receipt numbers' day).
    const midnight = new Date()
    midnight.setHours(0, 0, 0, 0)
    expect(seen?.day).toBe(midnight.toISOString())

    // A uploads: central's answers reach B as A's state events, A's next status as its queue depth.
    await a.kiosk.uploader.runOnce()
    seen = await postWhen(b, (v) => v.totals.uploaded === 2 && deskOf(v, a.kioskId)?.queueDepth === 0)
    expect(seen?.totals).toEqual({ registered: 3, uploaded: 2, waiting: 1 })
    expect(deskOf(seen, a.kioskId)).toMatchObject({ online: true, queueDepth: 0 })

    // A leaves: B shows it offline with when it was last heard of, its last reported queue kept.
    const lastOnline = deskOf(seen, a.kioskId)!.lastSeenAt!
    await a.kiosk.network.stop()
    await eventually(() => b.kiosk.network.peers().some((p) => p.kioskId === a.kioskId && p.state === 'gone'), 8000, 'A gone')
    const after = await post(b)
    expect(deskOf(after, a.kioskId)).toMatchObject({ online: false, queueDepth: 0 })
    expect(Date.parse(deskOf(after, a.kioskId)!.lastSeenAt!)).toBeGreaterThanOrEqual(Date.parse(lastOnline))

    // Every staff role sees it; a self-service kiosk shows no other desk's figures, whoever is signed in.
    expect(await post(b)).not.toBeNull()
    expect(await b.kiosk.call('settings.setMode', { mode: 'self-service' })).toMatchObject({ ok: true })
    expect(await post(b)).toBeNull()
    for (const desk of desks) desk.close()
  })

  it('a kiosk without a post network (not enrolled, no roster) answers null: the home screen shows nothing new', async () => {
    const { kiosk, close } = openKiosk({ role: 'operator' })
    expect(await post({ kiosk })).toBeNull()
    close()
  })

  it('desk status events: at once, then on a change at most every 30 s, and every 10 minutes regardless', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'))
    const repo = createPostDesksRepository(db)
    let now = Date.parse('2026-12-06T01:00:00.000Z')
    let depth = 4
    const writer = createDeskStatusWriter({ repo, queueDepth: () => depth, now: () => new Date(now), logger: createMemoryLogger() })
    const events = () => db.prepare("SELECT seq, at, queue_depth AS depth FROM post_log WHERE kind = 'desk' ORDER BY seq").all()
    expect(writer.tick()).toBe(true)
    now += 1000
    expect(writer.tick()).toBe(false) // nothing changed
    depth = 5
    now += 10_000
    expect(writer.tick()).toBe(false) // changed, but 11 s after the last
    now += 19_000
    expect(writer.tick()).toBe(true) // 30 s: the change goes out
    now += 9 * 60_000
    expect(writer.tick()).toBe(false)
    now += 60_000
    expect(writer.tick()).toBe(true) // 10 minutes with no change: a keep-alive
    expect(events()).toEqual([
      { seq: 1, at: '2026-12-06T01:00:00.000Z', depth: 4 },
      { seq: 2, at: '2026-12-06T01:00:30.000Z', depth: 5 },
      { seq: 3, at: '2026-12-06T01:10:30.000Z', depth: 5 },
    ])
    // A restart reads the last event back: no second event at start.
    const again = createDeskStatusWriter({ repo: createPostDesksRepository(db), queueDepth: () => depth, now: () => new Date(now), logger: createMemoryLogger() })
    expect(again.tick()).toBe(false)
    db.close()
  })
})
