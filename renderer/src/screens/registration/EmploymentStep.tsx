import { useTranslation } from 'react-i18next'
import { Education, Employment } from '../../../../common/registration'
import { SelectField } from '../../components/Field'
import type { StepProps } from './stepProps'
import { fieldId } from './steps'

export function EmploymentStep({ form, errors, update }: StepProps) {
  const { t } = useTranslation()
  return (
    <div className="field-row">
      <SelectField
        id={fieldId('employment')}
        label={t('field.employment')}
        placeholder={t('field.choose')}
        value={form.employment}
        options={Employment.options.map((value) => ({ value, label: t(`employment.${value}`) }))}
        error={errors.employment}
        onChange={(value) => {
          const employment = Employment.safeParse(value)
          update({ employment: employment.success ? employment.data : '' })
        }}
      />
      <SelectField
        id={fieldId('education')}
        label={t('field.education')}
        placeholder={t('field.choose')}
        value={form.education}
        options={Education.options.map((value) => ({ value, label: t(`education.${value}`) }))}
        error={errors.education}
        onChange={(value) => {
          const education = Education.safeParse(value)
          update({ education: education.success ? education.data : '' })
        }}
      />
    </div>
  )
}
