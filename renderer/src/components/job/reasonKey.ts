import type { PoskoErrorShape } from '../../../../common/result'

/** What a screen says for each `details.reason` it knows, as i18n keys. */
export type Reasons = Readonly<Record<string, string>>

/**
 * A service's refusal in words staff can act on. Services put a `details.reason` on the errors people can fix
 * (a full stick, a spent code); `reasons` maps those to i18n keys of the screen. Anything else falls back to the
 * error code's generic sentence (or the screen's `fallback`): never the English `message`, which is for logs.
 */
export function reasonKey(error: PoskoErrorShape, reasons: Reasons, fallback = `errors.${error.code}`): string {
  const reason = error.details?.reason
  if (typeof reason === 'string' && Object.hasOwn(reasons, reason)) return reasons[reason] ?? fallback
  return fallback
}
