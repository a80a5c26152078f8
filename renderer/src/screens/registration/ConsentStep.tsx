import { useTranslation } from 'react-i18next'
import { CONSENT_TEXT_VERSION } from '../../../../common/registration'
import { CheckboxField } from '../../components/Field'
import type { StepProps } from './stepProps'
import { fieldId } from './steps'

/** `intro` replaces the desk's "read this with the applicant" where applicants read it themselves. */
export function ConsentStep({ form, errors, update, intro }: StepProps & { intro?: string }) {
  const { t } = useTranslation()
  const set = (key: keyof StepProps['form']['consent'], checked: boolean) => update({ consent: { ...form.consent, [key]: checked } })
  return (
    <>
      <p>{intro ?? t('registration.consent.intro')}</p>
      <div className="consent-text">
        <p>{t('registration.consent.text1')}</p>
        <p>{t('registration.consent.text2')}</p>
        <p>{t('registration.consent.text3')}</p>
        <p className="muted">{t('registration.consent.version', { version: CONSENT_TEXT_VERSION })}</p>
      </div>
      <CheckboxField
        id={fieldId('consent.dataProcessing')}
        label={t('registration.consent.dataProcessing')}
        checked={form.consent.dataProcessing}
        error={errors['consent.dataProcessing']}
        onChange={(checked) => set('dataProcessing', checked)}
      />
      <CheckboxField
        id={fieldId('consent.truthfulness')}
        label={t('registration.consent.truthfulness')}
        checked={form.consent.truthfulness}
        error={errors['consent.truthfulness']}
        onChange={(checked) => set('truthfulness', checked)}
      />
    </>
  )
}
