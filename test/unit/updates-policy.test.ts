import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { InstallPolicyInput } from '../../main/services/updates'
import { channelFor, decideInstall, DEFAULT_NIGHT_WINDOW, inNightWindow, NightWindow, updatesDisabledReason } from '../../main/services/updates'

const WIB = 420
/** 14:00 WIB on a weekday, well outside the night window. */
const AFTERNOON = new Date('2026-03-10T07:00:00Z')
/** 02:30 WIB, inside 01:00–05:00. */
const NIGHT = new Date('2026-03-09T19:30:00Z')

const idle: InstallPolicyInput = {
  updateDownloaded: true,
  draftOpen: false,
  uploading: false,
  exporting: false,
  userRequested: false,
  now: AFTERNOON,
  nightWindow: DEFAULT_NIGHT_WINDOW,
  utcOffsetMinutes: WIB,
}

describe('install policy', () => {
  it('installs a downloaded update on an idle kiosk', () => {
    expect(decideInstall(idle)).toEqual({ action: 'install-now', reason: 'idle' })
  })

  it('waits when nothing is downloaded, even if a supervisor asks', () => {
    expect(decideInstall({ ...idle, updateDownloaded: false, userRequested: true })).toEqual({ action: 'wait', reason: 'no_update' })
  })

  it('never installs during a registration: not at night, not when a supervisor asks', () => {
    for (const input of [{ ...idle }, { ...idle, now: NIGHT }, { ...idle, userRequested: true }, { ...idle, now: NIGHT, userRequested: true }]) {
      expect(decideInstall({ ...input, draftOpen: true })).toEqual({ action: 'wait', reason: 'registration_open' })
    }
  })

  it('never cuts an export short, at night or on request', () => {
    expect(decideInstall({ ...idle, exporting: true })).toEqual({ action: 'wait', reason: 'export_running' })
    expect(decideInstall({ ...idle, exporting: true, now: NIGHT })).toEqual({ action: 'wait', reason: 'export_running' })
    expect(decideInstall({ ...idle, exporting: true, userRequested: true })).toEqual({ action: 'wait', reason: 'export_running' })
  })

  it('waits for an upload run by day, but not at night or when a supervisor asks (the uploader is crash-safe)', () => {
    expect(decideInstall({ ...idle, uploading: true })).toEqual({ action: 'wait', reason: 'upload_running' })
    expect(decideInstall({ ...idle, uploading: true, now: NIGHT })).toEqual({ action: 'install-now', reason: 'night_window' })
    expect(decideInstall({ ...idle, uploading: true, userRequested: true })).toEqual({ action: 'install-now', reason: 'requested' })
  })

  it('a registration always wins: whatever else is true, an open draft means wait', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.date({ noInvalidDate: true }), (downloaded, uploading, exporting, requested, now) => {
        const decision = decideInstall({ ...idle, updateDownloaded: downloaded, draftOpen: true, uploading, exporting, userRequested: requested, now })
        expect(decision.action).toBe('wait')
      }),
    )
  })

  it('installs only when the kiosk is not busy or it is night or asked for (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.date({ noInvalidDate: true }), (downloaded, draft, uploading, exporting, requested, now) => {
        const input = { ...idle, updateDownloaded: downloaded, draftOpen: draft, uploading, exporting, userRequested: requested, now }
        const installs = decideInstall(input).action === 'install-now'
        const night = inNightWindow(now, DEFAULT_NIGHT_WINDOW, WIB)
        expect(installs).toBe(downloaded && !draft && !exporting && (requested || night || !uploading))
      }),
    )
  })
})

describe('night window', () => {
  const at = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number]
    // hh:mm WIB on 10 March 2026.
    return new Date(Date.UTC(2026, 2, 10, h, m) - WIB * 60_000)
  }

  it.each([
    ['00:59', false],
    ['01:00', true],
    ['03:15', true],
    ['04:59', true],
    ['05:00', false],
    ['14:00', false],
  ])('01:00–05:00 WIB at %s → %s', (time, inside) => {
    expect(inNightWindow(at(time), DEFAULT_NIGHT_WINDOW, WIB)).toBe(inside)
  })

  it.each([
    ['21:59', false],
    ['22:00', true],
    ['23:59', true],
    ['00:00', true],
    ['03:59', true],
    ['04:00', false],
  ])('a window across midnight (22:00–04:00) at %s → %s', (time, inside) => {
    expect(inNightWindow(at(time), { start: '22:00', end: '04:00' }, WIB)).toBe(inside)
  })

  it('is read on the kiosk wall clock: 19:30 UTC is 02:30 in WIB but 03:30 in WITA', () => {
    expect(inNightWindow(NIGHT, { start: '02:00', end: '03:00' }, 420)).toBe(true)
    expect(inNightWindow(NIGHT, { start: '02:00', end: '03:00' }, 480)).toBe(false)
  })

  it('an empty window (start = end) never matches', () => {
    expect(inNightWindow(NIGHT, { start: '02:30', end: '02:30' }, WIB)).toBe(false)
  })

  it('refuses times that are not HH:MM', () => {
    for (const bad of ['1:00', '24:00', '01:60', '0100', '']) {
      expect(NightWindow.safeParse({ start: bad, end: '05:00' }).success).toBe(false)
    }
    expect(NightWindow.safeParse({ start: '23:30', end: '05:00' }).success).toBe(true)
  })
})

describe('channel', () => {
  it('puts pilot posts on the pilot channel and everyone else on latest', () => {
    const pilots = ['JT-3578-01', 'JT-3573-01']
    expect(channelFor('JT-3578-01', pilots)).toBe('pilot')
    expect(channelFor('JT-3578-02', pilots)).toBe('latest')
    expect(channelFor('JT-3578-01', [])).toBe('latest')
  })

  it('matches post ids exactly (no prefixes)', () => {
    expect(channelFor('JT-3578-0', ['JT-3578-01'])).toBe('latest')
    expect(channelFor('jt-3578-01', ['JT-3578-01'])).toBe('latest')
  })
})

describe('updates on or off', () => {
  const feed = 'https://updates.example.id/posko/'

  it('is off when unpackaged (a developer run), before anything else is considered', () => {
    expect(updatesDisabledReason({ packaged: false, env: {}, feedUrl: feed })).toBe('unpackaged')
  })

  it('is off under test', () => {
    expect(updatesDisabledReason({ packaged: true, env: { NODE_ENV: 'test' }, feedUrl: feed })).toBe('test')
    expect(updatesDisabledReason({ packaged: true, env: { POSKO_UPDATES: 'off' }, feedUrl: feed })).toBe('test')
  })

  it('is off without a feed URL', () => {
    expect(updatesDisabledReason({ packaged: true, env: {}, feedUrl: undefined })).toBe('no_feed')
    expect(updatesDisabledReason({ packaged: true, env: {}, feedUrl: 'not a url' })).toBe('no_feed')
  })

  it('refuses a plain-http feed except on loopback', () => {
    expect(updatesDisabledReason({ packaged: true, env: {}, feedUrl: 'http://updates.example.id/posko/' })).toBe('insecure_feed')
    expect(updatesDisabledReason({ packaged: true, env: {}, feedUrl: 'ftp://updates.example.id/' })).toBe('insecure_feed')
    expect(updatesDisabledReason({ packaged: true, env: {}, feedUrl: 'http://127.0.0.1:8080/' })).toBeNull()
  })

  it('is on for a packaged kiosk with an https feed', () => {
    expect(updatesDisabledReason({ packaged: true, env: { NODE_ENV: 'production' }, feedUrl: feed })).toBeNull()
  })
})
