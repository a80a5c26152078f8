import type { Logger } from './logger'

/** Before Posko existed, or decades ahead: a clock there is wrong (a dead CMOS battery restarts at 2000 or 1970). */
export const PLAUSIBLE_FROM = Date.UTC(2026, 0, 1)
export const PLAUSIBLE_UNTIL = Date.UTC(2040, 0, 1)
/** Central's time is taken over the kiosk's only past this much disagreement (a Date header has 1 s resolution). */
export const CORRECT_BEYOND_MS = 2 * 60_000

export type ClockStatus = { status: 'ok' } | { status: 'corrected'; offsetMinutes: number } | { status: 'implausible' }

/**
 * The time receipts, ages and retention are computed with. The kiosk's clock, unless central's answers said
 * otherwise by more than two minutes: then central's (the kiosk's clock plus the measured offset). A clock that is
 * implausible and not yet corrected is reported, so staff are warned instead of receipts being misdated silently.
 */
export function createTrustedTime(local: () => Date, logger: Logger, onChange: (status: ClockStatus) => void) {
  let offsetMs = 0
  let last: ClockStatus['status'] | null = null
  const now = () => new Date(local().getTime() + offsetMs)
  const status = (): ClockStatus => {
    if (offsetMs !== 0) return { status: 'corrected', offsetMinutes: Math.round(offsetMs / 60_000) }
    const t = local().getTime()
    return t < PLAUSIBLE_FROM || t >= PLAUSIBLE_UNTIL ? { status: 'implausible' } : { status: 'ok' }
  }
  const changed = () => {
    const next = status()
    if (next.status === last) return
    last = next.status
    onChange(next)
  }
  return {
    now,
    status,
    /** Central's `Date` header on an answer received at the kiosk's local `receivedAtMs`. */
    observeCentral(centralDate: string | null, receivedAtMs = local().getTime()): void {
      const central = centralDate ? Date.parse(centralDate) : Number.NaN
      if (!Number.isFinite(central) || central < PLAUSIBLE_FROM || central >= PLAUSIBLE_UNTIL) return
      const measured = central - receivedAtMs
      const next = Math.abs(measured) > CORRECT_BEYOND_MS ? measured : 0
      if (next !== 0 && Math.abs(next - offsetMs) > CORRECT_BEYOND_MS) logger.warn('kiosk clock differs from central; using central time', { offsetMinutes: Math.round(next / 60_000) })
      offsetMs = next
      changed()
    },
    /** Reports the starting status once (an implausible clock is logged at start). */
    start(): void {
      if (status().status === 'implausible') logger.error('kiosk clock is implausible', { local: local().toISOString() })
      changed()
    },
  }
}

export type TrustedTime = ReturnType<typeof createTrustedTime>
