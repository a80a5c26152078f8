import { describe, expect, it } from 'vitest'
import type { Receipt } from '../../common/records'
import type { AppInfo } from '../../common/settings'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { ClockStatus } from '../../main/services/platform/trusted-time'
import { createTrustedTime } from '../../main/services/platform/trusted-time'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { demoCentral, manualClock, openKiosk } from './helpers'

describe('the time receipts are dated with', () => {
  it('is the kiosk clock while it agrees with central within two minutes', () => {
    const local = new Date('2026-12-06T08:00:00Z')
    const seen: ClockStatus[] = []
    const time = createTrustedTime(() => local, createMemoryLogger(), (s) => seen.push(s))
    time.start()
    time.observeCentral('Sun, 06 Dec 2026 08:01:30 GMT')
    expect(time.now().toISOString()).toBe('2026-12-06T08:00:00.000Z')
    expect(time.status()).toEqual({ status: 'ok' })
    expect(seen).toEqual([{ status: 'ok' }])
  })

  it('is central’s once the kiosk clock is off by more (a dead CMOS battery), and says so once', () => {
    const local = new Date('2000-01-01T00:00:10Z')
    const seen: ClockStatus[] = []
    const logger = createMemoryLogger()
    const time = createTrustedTime(() => local, logger, (s) => seen.push(s))
    time.start()
    expect(time.status()).toEqual({ status: 'implausible' })
    time.observeCentral('Sun, 06 Dec 2026 08:00:10 GMT')
    expect(time.now().toISOString()).toBe('2026-12-06T08:00:10.000Z')
    expect(time.status()).toMatchObject({ status: 'corrected' })
    time.observeCentral('Sun, 06 Dec 2026 08:00:11 GMT')
    expect(seen.map((s) => s.status)).toEqual(['implausible', 'corrected'])
    expect(logger.entries.some((e) => e.level === 'error' && /implausible/.test(e.message))).toBe(true)
  })

  it('ignores a missing, garbled or implausible Date from central', () => {
    const time = createTrustedTime(() => new Date('2026-12-06T08:00:00Z'), createMemoryLogger(), () => undefined)
    for (const header of [null, 'yesterday', 'Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 01 Jan 2100 00:00:00 GMT']) time.observeCentral(header)
    expect(time.status()).toEqual({ status: 'ok' })
    expect(time.now().toISOString()).toBe('2026-12-06T08:00:00.000Z')
  })
})

describe('a kiosk whose clock is years off', () => {
  it('tells the renderer (every staff screen warns) instead of dating receipts wrongly in silence', async () => {
    const { kiosk } = openKiosk({ now: () => new Date('2000-01-01T00:00:00Z') })
    const info = (await kiosk.call('app.info')) as { ok: true; value: AppInfo }
    expect(info.value.clock).toEqual({ status: 'implausible' })
    const fine = openKiosk({ now: () => new Date('2026-12-06T08:00:00Z') })
    expect(((await fine.kiosk.call('app.info')) as { ok: true; value: AppInfo }).value.clock).toEqual({ status: 'ok' })
  })
})

describe('central’s answers set the clock', () => {
  it('a kiosk whose clock says 2000 dates its next receipt by central’s day once an upload has been answered', async () => {
    const { central, token } = await demoCentral()
    const local = () => new Date(Date.UTC(2000, 0, 1, 3, 0) + (Date.now() % 1000))
    const { kiosk } = openKiosk({ now: local, config: { centralUrl: central.url }, centralToken: token, upload: { clock: manualClock() } })
    const before = (await kiosk.call('registration.submit', { draft: makeDraft() })) as { ok: true; value: Receipt }
    expect(before.value.receiptNo).toMatch(/-000101-0001$/)
    await kiosk.uploader.runOnce()
    expect(((await kiosk.call('app.info')) as { ok: true; value: AppInfo }).value.clock).toMatchObject({ status: 'corrected' })
    const after = (await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(7) }) })) as { ok: true; value: Receipt }
    expect(after.value.createdAt.slice(0, 4)).toBe(String(new Date().getUTCFullYear()))
    expect(after.value.receiptNo).not.toMatch(/-000101-/)
  })
})
