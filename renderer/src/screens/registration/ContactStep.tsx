import { useTranslation } from 'react-i18next'
import { Notice, TextField } from '../../components/Field'
import { bindFields, fieldId } from '../../components/fieldBinding'
import { ConfirmWarning, confirmsAt } from './ConfirmWarning'
import type { StepProps, StepWarnings } from './stepProps'

export function ContactStep(props: StepProps & { warnings: StepWarnings }) {
  const { t } = useTranslation()
  const { form, errors, update } = props
  const field = bindFields(form, errors, update)
  // The likely typo is a question (issue 19): take the suggestion, or say the address is right. Hidden once
  // answered either way; a suggestion without the question (the report not back yet) is still offered.
  const question = confirmsAt('email', props.warnings)[0]
  const offered = question ? String(question.params.suggestion) : props.warnings.emailSuggestion
  const suggestion = offered && offered !== form.email.trim().toLowerCase() ? offered : null
  const accept = suggestion ? (
    // The button goes once pressed: focus goes back to the field rather than to nowhere (issue 19).
    <button
      type="button"
      onClick={() => {
        update({ email: suggestion })
        document.getElementById(fieldId('email'))?.focus()
      }}
    >
      {t('warning.email.accept', { email: suggestion })}
    </button>
  ) : null
  return (
    <>
      <TextField
        {...field('phone')}
        type="tel"
        inputMode="tel"
        label={t('field.phone')}
        hint={t('registration.contact.phoneHint')}
        maxLength={24}
      />
      <TextField
        {...field('email')}
        type="email"
        inputMode="email"
        label={t('field.email')}
        hint={t('registration.contact.emailHint')}
        maxLength={254}
        notices={
          question && suggestion ? (
            <ConfirmWarning warning={question} answers={props.warnings.answers} more={accept} yes={t('warning.confirm.emailYes')} />
          ) : suggestion ? (
            <Notice>
              {t('warning.email.suggest', { email: suggestion })} {accept}
            </Notice>
          ) : undefined
        }
      />
    </>
  )
}
