import { z } from 'zod'
import type { InstallDecision, UpdatesDisabledReason } from '../../../common/operations'

/** 'HH:MM', 24-hour, the kiosk's wall clock. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59')

/** When a downloaded update may interrupt an upload run. `start` inclusive, `end` exclusive; may wrap midnight. */
export const NightWindow = z.strictObject({ start: ClockTime, end: ClockTime })
export type NightWindow = z.infer<typeof NightWindow>

export const DEFAULT_NIGHT_WINDOW: NightWindow = { start: '01:00', end: '05:00' }

export interface InstallPolicyInput {
  updateDownloaded: boolean
  /** A registration form has a draft in it (the renderer says so). */
  draftOpen: boolean
  uploading: boolean
  /** An offline bundle or a diagnostics archive is being written. */
  exporting: boolean
  /** A supervisor pressed "install now". */
  userRequested: boolean
  now: Date
  nightWindow: NightWindow
  /** Minutes east of UTC of the kiosk's wall clock (WIB = 420). Default: the OS time zone's offset at `now`. */
  utcOffsetMinutes?: number
}

function minutesOf(time: string): number {
  const [h, m] = ClockTime.parse(time).split(':').map(Number) as [number, number]
  return h * 60 + m
}

/** Whether `now` falls in the window on the kiosk's wall clock. An empty window (start = end) never matches. */
export function inNightWindow(now: Date, window: NightWindow, utcOffsetMinutes = -now.getTimezoneOffset()): boolean {
  const start = minutesOf(window.start)
  const end = minutesOf(window.end)
  const local = (((now.getUTCHours() * 60 + now.getUTCMinutes() + utcOffsetMinutes) % 1440) + 1440) % 1440
  if (start === end) return false
  return start < end ? local >= start && local < end : local >= start || local < end
}

/**
 * The install policy (issue 9). Installing restarts the app, so:
 *  - never while a registration is open: the applicant in front of the desk would lose it;
 *  - never while a bundle or diagnostics file is being written: a half-written file on a USB stick is worse than
 *    an update an hour later;
 *  - an upload run may be cut short (the uploader is crash-safe: rows stay queued and central dedups by record
 *    id), but only when a supervisor asks or inside the night window, so a busy post isn't restarted mid-sync;
 *  - otherwise, an idle kiosk installs.
 */
export function decideInstall(input: InstallPolicyInput): InstallDecision {
  if (!input.updateDownloaded) return { action: 'wait', reason: 'no_update' }
  if (input.draftOpen) return { action: 'wait', reason: 'registration_open' }
  if (input.exporting) return { action: 'wait', reason: 'export_running' }
  if (input.userRequested) return { action: 'install-now', reason: 'requested' }
  if (inNightWindow(input.now, input.nightWindow, input.utcOffsetMinutes)) return { action: 'install-now', reason: 'night_window' }
  if (input.uploading) return { action: 'wait', reason: 'upload_running' }
  return { action: 'install-now', reason: 'idle' }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Whether the updater runs at all. Off for a developer's unpackaged run and under test (STYLE.md), and without a
 * feed. A plain-http feed is refused except on loopback: electron-updater checks the download against the sha512
 * in the feed's yml, and both come from the same server, so on Linux (no code signature) the transport is the
 * only thing standing between a network attacker and the kiosk.
 */
export function updatesDisabledReason(input: {
  packaged: boolean
  env: Readonly<Record<string, string | undefined>>
  feedUrl: string | null | undefined
}): UpdatesDisabledReason | null {
  if (!input.packaged) return 'unpackaged'
  if (input.env.NODE_ENV === 'test' || input.env.POSKO_UPDATES === 'off') return 'test'
  if (!input.feedUrl) return 'no_feed'
  let url: URL
  try {
    url = new URL(input.feedUrl)
  } catch {
    return 'no_feed'
  }
  if (url.protocol === 'https:') return null
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname) ? null : 'insecure_feed'
}
