import { useTranslation } from 'react-i18next'
import { CONSENT_TEXT_VERSION } from '../../../../common/registration'
import { CheckboxField } from '../../components/Field'
import { bindFields } from '../../components/fieldBinding'
import type { StepProps } from './stepProps'

/** `intro` replaces the desk's "read this with the applicant" where applicants read it themselves. */
export function ConsentStep({ form, errors, update, intro }: StepProps & { intro?: string }) {
  const { t } = useTranslation()
  const consent = bindFields(form.consent, errors, (patch) => update({ consent: { ...form.consent, ...patch } }), 'consent')
  return (
    <>
      <p>{intro ?? t('registration.consent.intro')}</p>
      <div className="consent-text">
        <p>{t('registration.consent.text1')}</p>
        <p>{t('registration.consent.text2')}</p>
        <p>{t('registration.consent.text3')}</p>
        <p className="muted">{t('registration.consent.version', { version: CONSENT_TEXT_VERSION })}</p>
      </div>
      <CheckboxField {...consent('dataProcessing')} label={t('registration.consent.dataProcessing')} />
      <CheckboxField {...consent('truthfulness')} label={t('registration.consent.truthfulness')} />
    </>
  )
}
