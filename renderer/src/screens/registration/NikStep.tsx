import { useTranslation } from 'react-i18next'
import { parseNik } from '../../../../common/nik'
import { DateField } from '../../components/DateField'
import { TextField } from '../../components/Field'
import { bindFields } from '../../components/fieldBinding'
import { RegionPicker } from '../../components/RegionPicker'
import { fieldNotices } from './ConfirmWarning'
import type { StepProps, StepWarnings } from './stepProps'
import { SexField } from './SexField'
import { DuplicateNotice } from './desk/DuplicateNotice'
import type { NikDuplicate } from './desk/useNikDuplicate'
import type { CardNikChoice, CardNikQuestion } from './scan/cardFill'
import { CardNikAsk } from './scan/CardNikAsk'
import { CardNote } from './scan/CardNote'

export function NikStep(
  props: StepProps & {
    warnings: StepWarnings
    reading: boolean
    onNik: (nik: string) => void
    duplicate?: NikDuplicate
    cardNik?: { question: CardNikQuestion | null; answer: (choice: CardNikChoice) => void }
  },
) {
  const { t } = useTranslation()
  const { form, errors, update } = props
  const field = bindFields(form, errors, update)
  // The autofilled block appears once there is a valid NIK to read it from, and stays on the way Back.
  const complete = parseNik(form.nik).ok
  const question = props.cardNik?.question
  const notices = fieldNotices(props.warnings.nik, 'nik', props.warnings)
  // The NIK beside what it fills in, not above it: the step fits a 1366×768 screen (issue 19).
  return (
    <div className="nik-step">
      <div>
      <TextField
        {...field('nik')}
        className="input-nik"
        label={t('field.nik')}
        hint={form.card?.nik !== undefined && form.nik === form.card.nik ? t('ktp.scan.nikHint') : t('registration.nik.hint')}
        inputMode="numeric"
        maxLength={24}
        notices={
          question && props.cardNik ? (
            <>
              {notices}
              <CardNikAsk question={question} onAnswer={props.cardNik.answer} />
            </>
          ) : (
            notices
          )
        }
        onChange={props.onNik}
      />
      {props.duplicate && <DuplicateNotice duplicate={props.duplicate} />}
      {props.reading && (
        <p className="muted" role="status">
          {t('registration.nik.checking')}
        </p>
      )}
      </div>
      {complete && (
        <fieldset className="autofill">
          <legend>{t('registration.nik.autofillTitle')}</legend>
          {/* In the place of "check with the KTP": which of these the card itself said (one line, the step still fits). */}
          <CardNote
            form={form}
            paths={['birthDate', 'sex', 'ktpAddress.provinceCode', 'ktpAddress.regencyCode', 'ktpAddress.districtCode']}
            fallback={<p className="field-hint">{t('registration.nik.autofillHint')}</p>}
          />
          <div className="field-row">
            <DateField {...field('birthDate')} label={t('field.birthDate')} notices={fieldNotices(props.warnings.birthDate, 'birthDate', props.warnings)} />
            <SexField {...field('sex')} name="nik-sex" warnings={props.warnings.sex} />
          </div>
          <p className="field-hint">{t('registration.nik.regionNote')}</p>
          <RegionPicker
            path="ktpAddress"
            depth={3}
            value={form.ktpAddress}
            errors={errors}
            onChange={(codes) => update({ ktpAddress: { ...form.ktpAddress, ...codes } })}
          />
        </fieldset>
      )}
    </div>
  )
}
