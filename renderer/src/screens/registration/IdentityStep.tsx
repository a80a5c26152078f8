import { useTranslation } from 'react-i18next'
import { TextField } from '../../components/Field'
import type { DraftWarnings, StepProps } from './stepProps'
import { SexField } from './SexField'
import { fieldId } from './steps'
import { warningNotices } from './warnings'

export function IdentityStep(props: StepProps & { warnings: DraftWarnings }) {
  const { t } = useTranslation()
  const { form, errors, update } = props
  return (
    <>
      <TextField
        id={fieldId('fullName')}
        // Upper case on screen because the KTP prints it so and the record stores it so.
        className="input-name"
        label={t('field.fullName')}
        hint={t('registration.identity.nameHint')}
        maxLength={100}
        value={form.fullName}
        error={errors.fullName}
        onChange={(fullName) => update({ fullName })}
      />
      <div className="field-row">
        <TextField
          id={fieldId('birthPlace')}
          label={t('field.birthPlace')}
          maxLength={60}
          value={form.birthPlace}
          error={errors.birthPlace}
          onChange={(birthPlace) => update({ birthPlace })}
        />
        <TextField
          id={fieldId('birthDate')}
          type="date"
          label={t('field.birthDate')}
          value={form.birthDate}
          error={errors.birthDate}
          notices={warningNotices(props.warnings.birthDate)}
          onChange={(birthDate) => update({ birthDate })}
        />
      </div>
      <SexField
        name="sex"
        value={form.sex}
        error={errors.sex}
        warnings={props.warnings.sex}
        onChange={(sex) => update({ sex })}
      />
    </>
  )
}
