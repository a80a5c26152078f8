import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ParkedDraft, ResumedDraft } from '../../common/drafts'
import type { PhotoVerdict } from '../../common/photos'
import type { Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { draftExpiry } from '../../main/services/registration/drafts'
import { makeDraft, MARKERS } from '../fixtures/drafts'
import { manualClock, openKiosk, TEST_PIN } from './helpers'

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

type KioskHandle = ReturnType<typeof openKiosk>['kiosk']
const fixture = (name: string) => readFileSync(resolve('test/fixtures/photos', name)).toString('base64')
const photo = async (kiosk: KioskHandle, name: string) => value<PhotoVerdict>(await kiosk.call('photo.process', { kind: 'card', jpegBase64: fixture(name) })).sha256!
const HOUR = 60 * 60 * 1000
/** Time passes; the session locked meanwhile is unlocked again (the kiosk locks after inactivity). */
async function later(kiosk: KioskHandle, clock: ReturnType<typeof manualClock>, ms: number) {
  clock.advance(ms)
  if (kiosk.sessions.state().status === 'locked') await kiosk.sessions.unlock(TEST_PIN)
}
const drafts = async (kiosk: KioskHandle) => value<{ drafts: ParkedDraft[] }>(await kiosk.call('drafts.list')).drafts

describe('parked drafts (issue 19.2)', () => {
  it('expire at the end of the local day they were parked', () => {
    expect(draftExpiry(new Date(2026, 11, 6, 10, 42))).toEqual(new Date(2026, 11, 7, 0, 0))
    expect(draftExpiry(new Date(2026, 11, 31, 23, 59))).toEqual(new Date(2027, 0, 1, 0, 0))
  })

  it('park → list without personal data → resume gives the form, the step and its photos back, which a submit then claims', async () => {
    // A photo taken just before midnight, parked after it: by the evening the photo is a day old, which the orphan
    // rule would erase, but a parked draft holds it.
    const clock = manualClock(new Date(2026, 10, 25, 23, 50).getTime())
    const { kiosk } = openKiosk({ clock, now: () => new Date(clock.now()), retentionSchedule: true })
    const card = await photo(kiosk, 'card-ktp.jpg')
    const retake = await photo(kiosk, 'card-blurred.jpg')
    const form = { ...makeDraft(), photos: { face: null, card: { sha256: card } } }
    await later(kiosk, clock, 20 * 60 * 1000)
    const parked = value<ParkedDraft>(await kiosk.call('drafts.park', { form, step: 'address', photos: [card] }))
    expect(parked).toMatchObject({ number: 1, step: 'address', photos: 1, expiresAt: new Date(2026, 10, 27).toISOString() })
    const listed = await drafts(kiosk)
    expect(listed).toEqual([parked])
    for (const marker of Object.values(MARKERS)) expect(JSON.stringify(listed)).not.toContain(marker)

    await later(kiosk, clock, 23 * HOUR + 45 * 60 * 1000)
    // The retake no draft holds went on its day; the draft's photo stayed.
    expect(kiosk.store.photos().map((p) => p.sha256)).toEqual([card])
    expect(retake).not.toBe(card)
    const resumed = value<ResumedDraft>(await kiosk.call('drafts.resume', { id: parked.id }))
    expect(resumed).toEqual({ form, step: 'address' })
    expect(await drafts(kiosk)).toEqual([])
    expect(await kiosk.call('drafts.resume', { id: parked.id })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    // Dated at the resume, the photo outlives the next round and the record claims it.
    await later(kiosk, clock, 7 * HOUR)
    const receipt = value<Receipt>(await kiosk.call('registration.submit', { draft: form }))
    expect(kiosk.store.photos()).toEqual([expect.objectContaining({ sha256: card, recordId: receipt.id })])
    expect(kiosk.audit.list().map((r) => r.action)).toEqual(expect.arrayContaining(['draft_park', 'draft_resume']))
  })

  it('an expired draft is erased on the next retention round with the photos only it held, and audited', async () => {
    const clock = manualClock(new Date(2026, 10, 25, 16, 0).getTime())
    const { kiosk } = openKiosk({ clock, now: () => new Date(clock.now()), retentionSchedule: true })
    const card = await photo(kiosk, 'card-ktp.jpg')
    const parked = value<ParkedDraft>(await kiosk.call('drafts.park', { form: makeDraft(), step: 'photo', photos: [card] }))
    await later(kiosk, clock, 7 * HOUR)
    expect(await drafts(kiosk)).toEqual([parked])
    // Past midnight it is no longer offered; the next round erases it and its photo.
    await later(kiosk, clock, 1 * HOUR + 1000)
    expect(await drafts(kiosk)).toEqual([])
    expect(await kiosk.call('drafts.resume', { id: parked.id })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    await later(kiosk, clock, 6 * HOUR)
    expect(kiosk.store.photos()).toEqual([])
    const expired = kiosk.audit.list({ action: 'draft_expire' })
    expect(expired.map((r) => JSON.parse(r.details) as unknown)).toEqual([{ drafts: 1, photos: 1 }])
  })

  it('refuses a photo the kiosk does not hold or a record already claimed, and writes nothing', async () => {
    const { kiosk } = openKiosk()
    const card = await photo(kiosk, 'card-ktp.jpg')
    value(await kiosk.call('registration.submit', { draft: { ...makeDraft(), photos: { face: null, card: { sha256: card } } } }))
    for (const photos of [['0'.repeat(64)], [card]]) {
      expect(await kiosk.call('drafts.park', { form: makeDraft(), step: 'nik', photos })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    }
    expect(await drafts(kiosk)).toEqual([])
  })

  it('only staff may park, list or resume', async () => {
    const { kiosk } = openKiosk({ config: { mode: 'self-service' }, role: null })
    expect(await kiosk.call('drafts.park', { form: makeDraft(), step: 'nik', photos: [] })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(await kiosk.call('drafts.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })
})
