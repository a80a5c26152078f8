import { useTranslation } from 'react-i18next'
import { parseNik } from '../../../../common/nik'
import { TextField } from '../../components/Field'
import { RegionPicker } from '../../components/RegionPicker'
import type { DraftWarnings, StepProps } from './stepProps'
import { SexField } from './SexField'
import { fieldId } from './steps'
import { warningNotices } from './warnings'

export function NikStep(props: StepProps & { warnings: DraftWarnings; reading: boolean; onNik: (nik: string) => void }) {
  const { t } = useTranslation()
  const { form, errors, update } = props
  // The autofilled block appears once there is a valid NIK to read it from, and stays on the way Back.
  const complete = parseNik(form.nik).ok
  return (
    <>
      <TextField
        id={fieldId('nik')}
        className="input-nik"
        label={t('field.nik')}
        hint={t('registration.nik.hint')}
        inputMode="numeric"
        maxLength={24}
        value={form.nik}
        error={errors.nik}
        notices={warningNotices(props.warnings.nik)}
        onChange={props.onNik}
      />
      {props.reading && (
        <p className="muted" role="status">
          {t('registration.nik.checking')}
        </p>
      )}
      {complete && (
        <fieldset className="autofill">
          <legend>{t('registration.nik.autofillTitle')}</legend>
          <p className="field-hint">{t('registration.nik.autofillHint')}</p>
          <div className="field-row">
            <TextField
              id={fieldId('birthDate')}
              type="date"
              label={t('field.birthDate')}
              value={form.birthDate}
              error={errors.birthDate}
              notices={warningNotices(props.warnings.birthDate)}
              onChange={(birthDate) => update({ birthDate })}
            />
            <SexField
              name="nik-sex"
              value={form.sex}
              error={errors.sex}
              warnings={props.warnings.sex}
              onChange={(sex) => update({ sex })}
            />
          </div>
          <p className="note">{t('registration.nik.regionNote')}</p>
          <RegionPicker
            path="ktpAddress"
            depth={3}
            value={form.ktpAddress}
            errors={errors}
            onChange={(codes) => update({ ktpAddress: { ...form.ktpAddress, ...codes } })}
          />
        </fieldset>
      )}
    </>
  )
}
