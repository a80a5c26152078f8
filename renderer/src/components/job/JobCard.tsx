import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { PoskoErrorShape } from '../../../../common/result'
import type { ProgressProps } from './ProgressBar'
import { ProgressBar } from './ProgressBar'
import type { Job } from './useJob'

/**
 * A card that runs one job from a form (a bundle export or import, a diagnostics export, an enrolment): the
 * fields, one submit button that says the job is running, its progress, its outcome and its refusal, all from the
 * job's state so no card keeps its own busy flag.
 */
export function JobCard<T>(props: {
  titleId: string
  /** The card's i18n group: its `title`, `intro`, `submit` and `running` (the button while the job runs). */
  texts: 'tools.bundle.export' | 'tools.bundle.import' | 'tools.enrolment.card' | 'diagnostics.export' | 'backup.restore'
  /** Each screen's own card look ('tool-card', 'diag-card'). */
  className: string
  formClassName?: string
  job: Job<T>
  onSubmit: () => void
  fields: ReactNode
  /** Shown while the job runs; without it the button alone says so. */
  progress?: ProgressProps | undefined
  /** The status line once done; a card without one hands the outcome to its screen instead. */
  doneText?: (value: T) => string
  result?: (value: T) => ReactNode
  /** The i18n key for a refusal, or null where the form shows it at a field instead. */
  refusal: (error: PoskoErrorShape) => string | null
  /** A refusal about what was typed is said next to it, before the button that tries again. */
  refusalAboveSubmit?: boolean
  /** Nothing to do (the card says why in its fields): the button stays shut instead of failing after the choice. */
  submitDisabled?: boolean
}) {
  const { job, texts } = props
  const { t } = useTranslation()
  const running = job.status === 'running'
  const refusalKey = job.status === 'failed' ? props.refusal(job.error) : null
  const refusal = refusalKey && <Refusal messageKey={refusalKey} />
  return (
    <section className={`card ${props.className}`} aria-labelledby={props.titleId} aria-busy={running}>
      <h2 id={props.titleId}>{t(`${texts}.title`)}</h2>
      <p>{t(`${texts}.intro`)}</p>
      <form
        className={props.formClassName}
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!props.submitDisabled) props.onSubmit()
        }}
      >
        {props.fields}
        {props.refusalAboveSubmit && refusal}
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={running || props.submitDisabled === true}>
            {t(running ? `${texts}.running` : `${texts}.submit`)}
          </button>
        </div>
      </form>
      {running && props.progress && <ProgressBar {...props.progress} />}
      {props.doneText && (
        // Present (empty) from the start: a live region that appears with its text is often not announced.
        <p className={job.status === 'done' ? 'verdict verdict-ok' : 'status-idle'} role="status">
          {job.status === 'done' && props.doneText(job.value)}
        </p>
      )}
      {job.status === 'done' && props.result?.(job.value)}
      {!props.refusalAboveSubmit && refusal}
    </section>
  )
}

function Refusal(props: { messageKey: string }) {
  const { t } = useTranslation()
  return (
    <div className="error-panel" role="alert">
      <p>{t(props.messageKey)}</p>
    </div>
  )
}
