import type { Role } from '../../common/authz'
import { decideAccess } from '../../common/authz'
import type { Channel } from '../../common/contract'
import type { KioskMode } from '../../common/settings'

/**
 * The kiosk refuses page navigation (main/window-policy.ts), so screens are plain state, not URLs.
 */
export const SCREENS = ['home', 'register', 'search', 'rejected', 'review', 'operators', 'anomalies', 'pairing', 'audit', 'bundles', 'backup', 'purge', 'report', 'enrolment', 'diagnostics', 'about'] as const
export type Screen = (typeof SCREENS)[number]

/**
 * The channel a screen can't work without. The menu offers a screen only when the kiosk's own access table
 * (common/authz.ts) lets the signed-in role call it: one table decides both, so the menu can't promise what
 * the kiosk would refuse. Hiding is a courtesy; the dispatcher still enforces the rule.
 */
const NEEDS: Readonly<Record<Screen, Channel | readonly Channel[] | null>> = {
  home: null,
  register: 'registration.submit',
  search: 'registration.find',
  rejected: 'registration.listRejected',
  review: 'registration.listReview',
  operators: 'operators.list',
  // Issue 21.4: NIKs registered twice in the post during a split (supervisors only).
  anomalies: 'network.anomalies',
  // Issue 21.1: pairing desks by code (a post that never reached central); IT may look, a supervisor pairs.
  pairing: 'network.pairing',
  audit: 'audit.list',
  bundles: 'bundle.export',
  // Issue 22.3/22.4: the backup stick and restoring an old desk (supervisors).
  backup: 'backup.designateStick',
  purge: 'retention.purge',
  report: 'report.day',
  // IT enrols; a supervisor sees the status read-only, since the USB bundles they make need an enrolled kiosk.
  enrolment: ['enrolment.enrol', 'bundle.export'],
  diagnostics: 'diagnostics.get',
  about: null,
}

/** Reached from the footer of every screen, signed in or not, rather than from the menu. */
const FOOTER_ONLY: ReadonlySet<Screen> = new Set(['about'])

/** Reached from the home screen's count of held self-service registrations, shown when there are some. */
const FROM_HOME: ReadonlySet<Screen> = new Set(['review'])

/** `role` null: nobody signed in (only reachable on a self-service kiosk). */
export function canOpen(screen: Screen, role: Role | null, mode: KioskMode): boolean {
  const need = NEEDS[screen]
  if (need === null) return true
  // A list means any one of them: the screen has something to offer whoever may call one.
  const channels: readonly Channel[] = typeof need === 'string' ? [need] : need
  return channels.some((channel) => decideAccess(channel, role, mode) === 'allowed')
}

export function screensFor(role: Role | null, mode: KioskMode): Screen[] {
  return SCREENS.filter((screen) => canOpen(screen, role, mode))
}

/** The menu's entries: what `screensFor` allows, less the screens reached from the footer or the home screen. */
export function menuFor(screens: readonly Screen[]): Screen[] {
  return screens.filter((screen) => !FOOTER_ONLY.has(screen) && !FROM_HOME.has(screen))
}
