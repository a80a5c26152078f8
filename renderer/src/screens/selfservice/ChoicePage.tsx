import { useTranslation } from 'react-i18next'
import { Education, Employment } from '../../../../common/registration'
import { ChoiceField } from '../../components/Field'
import type { StepProps } from '../registration/stepProps'
import { fieldId } from '../registration/steps'

/**
 * Work status or schooling as one list of large choices: a tap each, where the desk has two drop-downs side by
 * side (the values and their words are the desk's).
 */
export function ChoicePage({ form, errors, update, field }: StepProps & { field: 'employment' | 'education' }) {
  const { t } = useTranslation()
  const options = (field === 'employment' ? Employment.options : Education.options).map((value) => ({ value, label: t(`${field}.${value}`) }))
  return (
    <ChoiceField
      id={fieldId(field)}
      name={field}
      label={t(`field.${field}`)}
      value={form[field]}
      options={options}
      error={errors[field]}
      onChange={(value) => {
        if (field === 'employment') {
          const employment = Employment.safeParse(value)
          if (employment.success) update({ employment: employment.data })
        } else {
          const education = Education.safeParse(value)
          if (education.success) update({ education: education.data })
        }
      }}
    />
  )
}
