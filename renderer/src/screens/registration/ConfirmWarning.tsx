import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { WarningToConfirm } from '../../../../common/acknowledgements'
import { Notice } from '../../components/Field'
import type { StepWarnings, WarningAnswers } from './stepProps'
import { WarningNotices } from './warnings'

/**
 * A warning that needs an answer (issue 19): what is odd, in numbers (the age and the range), and "Ya, benar".
 * The button is type="button": Enter in the field submits the form, which the flow refuses while this is
 * unanswered, so only a deliberate press (or a fix that makes the warning go) lets the step move on.
 * `more` sits before "Ya, benar" (the email's "Ya, pakai …").
 */
export function ConfirmWarning(props: { warning: WarningToConfirm; answers: WarningAnswers; more?: ReactNode; yes?: string }) {
  const { t } = useTranslation()
  const { warning, answers } = props
  const answered = answers.answered(warning.warning)
  return (
    <Notice>
      {t(`warning.confirm.${warning.warning}`, warning.params)}{' '}
      {answered ? (
        <span className="confirm-answered">{t('warning.confirm.answered')}</span>
      ) : (
        <span className="confirm-actions">
          {props.more}
          <button type="button" className="confirm-yes" onClick={() => answers.answer(warning)}>
            {props.yes ?? t('warning.confirm.yes')}
          </button>
        </span>
      )}
    </Notice>
  )
}

/** The questions about the field at `path` ("birthDate", "nik", "email"). */
export function confirmsAt(path: string, warnings: StepWarnings): WarningToConfirm[] {
  return warnings.confirm.filter((warning) => warning.path.join('.') === path)
}

/** A field's `notices`: its plain remarks, then its questions; nothing at all when there is neither. */
export function fieldNotices(codes: readonly string[], path: string, warnings: StepWarnings) {
  const confirms = confirmsAt(path, warnings)
  if (codes.length === 0 && confirms.length === 0) return undefined
  return (
    <>
      <WarningNotices codes={codes} />
      {confirms.map((warning) => (
        <ConfirmWarning key={warning.warning} warning={warning} answers={warnings.answers} />
      ))}
    </>
  )
}
