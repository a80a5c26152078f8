import { useTranslation } from 'react-i18next'
import { Notice, TextField } from '../../components/Field'
import { bindFields } from '../../components/fieldBinding'
import type { DraftWarnings, StepProps } from './stepProps'

export function ContactStep(props: StepProps & { warnings: DraftWarnings }) {
  const { t } = useTranslation()
  const { form, errors, update } = props
  const field = bindFields(form, errors, update)
  // Hidden once taken (or typed): the next check would drop it anyway, a moment later.
  const offered = props.warnings.emailSuggestion
  const suggestion = offered && offered !== form.email.trim().toLowerCase() ? offered : null
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
          suggestion ? (
            <Notice>
              {t('warning.email.suggest', { email: suggestion })}{' '}
              <button type="button" onClick={() => update({ email: suggestion })}>
                {t('warning.email.accept', { email: suggestion })}
              </button>
            </Notice>
          ) : undefined
        }
      />
    </>
  )
}
