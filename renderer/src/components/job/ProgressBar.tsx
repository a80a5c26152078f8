/** How far a long job is, as far as the kiosk has said. */
export interface ProgressProps {
  label: string
  done?: number | undefined
  total?: number | undefined
  text: string
}

/**
 * A long job's progress for people and assistive technology alike: the ARIA progressbar carries the numbers, the
 * native <progress> inside only draws the bar (the CSP forbids style attributes, so no width can be set by hand).
 * With no numbers yet (the kiosk has not reported) it is indeterminate, which both render as "working".
 */
export function ProgressBar(props: ProgressProps) {
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
