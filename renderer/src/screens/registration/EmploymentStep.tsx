import { useTranslation } from 'react-i18next'
import { Education, Employment } from '../../../../common/registration'
import { SelectField } from '../../components/Field'
import { bindFields, choiceOf } from '../../components/fieldBinding'
import type { StepProps } from './stepProps'

export function EmploymentStep({ form, errors, update }: StepProps) {
  const { t } = useTranslation()
  const field = bindFields(form, errors, update)
  return (
    <div className="field-row">
      <SelectField
        {...choiceOf(field('employment'), Employment.options)}
        label={t('field.employment')}
        placeholder={t('field.choose')}
        options={Employment.options.map((value) => ({ value, label: t(`employment.${value}`) }))}
      />
      <SelectField
        {...choiceOf(field('education'), Education.options)}
        label={t('field.education')}
        placeholder={t('field.choose')}
        options={Education.options.map((value) => ({ value, label: t(`education.${value}`) }))}
      />
    </div>
  )
}
