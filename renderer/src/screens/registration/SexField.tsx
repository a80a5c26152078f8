import { useTranslation } from 'react-i18next'
import { Sex } from '../../../../common/registration'
import { ChoiceField } from '../../components/Field'
import { fieldId } from './steps'
import { warningNotices } from './warnings'

/** Sex as on the KTP; used on the NIK step (autofilled) and the identity step, both editing the same value. */
export function SexField(props: { name: string; value: Sex | ''; error: string | undefined; warnings: readonly string[]; onChange: (sex: Sex) => void }) {
  const { t } = useTranslation()
  return (
    <ChoiceField
      id={fieldId('sex')}
      name={props.name}
      label={t('field.sex')}
      value={props.value}
      options={Sex.options.map((sex) => ({ value: sex, label: t(`sex.${sex}`) }))}
      error={props.error}
      notices={warningNotices(props.warnings)}
      onChange={(value) => {
        const sex = Sex.safeParse(value)
        if (sex.success) props.onChange(sex.data)
      }}
    />
  )
}
