/**
 * The kiosk refuses page navigation (main/window-policy.ts), so screens are plain state, not URLs.
 */
export const SCREENS = ['home', 'register', 'search'] as const
export type Screen = (typeof SCREENS)[number]
