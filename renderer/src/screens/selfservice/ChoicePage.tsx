import { useTranslation } from 'react-i18next'
import { Education, Employment } from '../../../../common/registration'
import { ChoiceField } from '../../components/Field'
import { bindFields, choiceOf } from '../../components/fieldBinding'
import type { StepProps } from '../registration/stepProps'

/**
 * Work status or schooling as one list of large choices: a tap each, where the desk has two drop-downs side by
 * side (the values and their words are the desk's).
 */
export function ChoicePage({ form, errors, update, field }: StepProps & { field: 'employment' | 'education' }) {
  const { t } = useTranslation()
  const bind = bindFields(form, errors, update)
  const choice = field === 'employment' ? choiceOf(bind('employment'), Employment.options) : choiceOf(bind('education'), Education.options)
  const options = (field === 'employment' ? Employment.options : Education.options).map((value) => ({ value, label: t(`${field}.${value}`) }))
  return <ChoiceField {...choice} name={field} label={t(`field.${field}`)} options={options} />
}
