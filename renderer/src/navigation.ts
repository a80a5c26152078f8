import type { Role } from '../../common/authz'
import { decideAccess } from '../../common/authz'
import type { Channel, KioskMode } from '../../common/contract'

/**
 * The kiosk refuses page navigation (main/window-policy.ts), so screens are plain state, not URLs.
 */
export const SCREENS = ['home', 'register', 'search', 'rejected', 'operators', 'audit'] as const
export type Screen = (typeof SCREENS)[number]

/**
 * The channel a screen can't work without. The menu offers a screen only when the kiosk's own access table
 * (common/authz.ts) lets the signed-in role call it: one table decides both, so the menu can't promise what
 * the kiosk would refuse. Hiding is a courtesy; the dispatcher still enforces the rule.
 */
const NEEDS: Readonly<Record<Screen, Channel | null>> = {
  home: null,
  register: 'registration.submit',
  search: 'registration.find',
  rejected: 'registration.listRejected',
  operators: 'operators.list',
  audit: 'audit.list',
}

/** `role` null: nobody signed in (only reachable on a self-service kiosk). */
export function canOpen(screen: Screen, role: Role | null, mode: KioskMode): boolean {
  const channel = NEEDS[screen]
  return channel === null || decideAccess(channel, role, mode) === 'allowed'
}

export function screensFor(role: Role | null, mode: KioskMode): Screen[] {
  return SCREENS.filter((screen) => canOpen(screen, role, mode))
}
