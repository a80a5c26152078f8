import { useTranslation } from 'react-i18next'
import { Sex } from '../../../../common/registration'
import { ChoiceField } from '../../components/Field'
import type { FieldBinding } from '../../components/fieldBinding'
import { choiceOf } from '../../components/fieldBinding'
import { warningNotices } from './warnings'

/** Sex as on the KTP; used on the NIK step (autofilled) and the identity step, both editing the same value. */
export function SexField({ name, warnings, ...field }: FieldBinding<Sex | ''> & { name: string; warnings: readonly string[] }) {
  const { t } = useTranslation()
  return (
    <ChoiceField
      {...choiceOf(field, Sex.options)}
      name={name}
      label={t('field.sex')}
      options={Sex.options.map((sex) => ({ value: sex, label: t(`sex.${sex}`) }))}
      notices={warningNotices(warnings)}
    />
  )
}
