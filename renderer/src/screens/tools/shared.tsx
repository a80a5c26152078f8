import { useTranslation } from 'react-i18next'
import type { PoskoErrorShape } from '../../../../common/result'

/**
 * A long job's progress for people and assistive technology alike: the ARIA progressbar carries the numbers, the
 * native <progress> inside only draws the bar (the CSP forbids style attributes, so no width can be set by hand).
 * With no numbers yet (the kiosk has not reported) it is indeterminate, which both render as "working".
 */
export function ProgressBar(props: { label: string; done?: number | undefined; total?: number | undefined; text: string }) {
  const known = props.done !== undefined && props.total !== undefined && props.total > 0
  return (
    <div
      className="tool-progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={known ? 0 : undefined}
      aria-valuemax={known ? props.total : undefined}
      aria-valuenow={known ? props.done : undefined}
      aria-valuetext={props.text}
    >
      {known ? <progress aria-hidden="true" value={props.done} max={props.total} /> : <progress aria-hidden="true" />}
      <span className="tool-progress-text">{props.text}</span>
    </div>
  )
}

/**
 * A service's refusal in words staff can act on. Services put a `details.reason` on the errors people can fix
 * (a full stick, a spent code); `reasons` maps those to i18n keys of the screen. Anything else falls back to the
 * error code's generic sentence: never the English `message`, which is for logs.
 */
export function ReasonError(props: { error: PoskoErrorShape; reasons: Readonly<Record<string, string>>; id?: string }) {
  const { t } = useTranslation()
  return (
    <div className="error-panel" role="alert" id={props.id}>
      <p>{t(reasonKey(props.error, props.reasons))}</p>
    </div>
  )
}

export function reasonKey(error: PoskoErrorShape, reasons: Readonly<Record<string, string>>): string {
  const reason = error.details?.reason
  if (typeof reason === 'string' && Object.hasOwn(reasons, reason)) return reasons[reason] ?? `errors.${error.code}`
  return `errors.${error.code}`
}

/** The reason a service gave, if any (a string in `details.reason`). */
export function reasonOf(error: PoskoErrorShape): string | null {
  const reason = error.details?.reason
  return typeof reason === 'string' ? reason : null
}
