import { useTranslation } from 'react-i18next'
import { DateField } from '../../components/DateField'
import { TextField } from '../../components/Field'
import { bindFields } from '../../components/fieldBinding'
import { fieldNotices } from './ConfirmWarning'
import type { StepProps, StepWarnings } from './stepProps'
import { SexField } from './SexField'
import { CardNote } from './scan/CardNote'

export function IdentityStep(props: StepProps & { warnings: StepWarnings }) {
  const { t } = useTranslation()
  const field = bindFields(props.form, props.errors, props.update)
  return (
    <>
      <CardNote form={props.form} paths={['fullName', 'birthPlace', 'birthDate', 'sex']} />
      <TextField
        {...field('fullName')}
        // Upper case on screen because the KTP prints it so and the record stores it so.
        className="input-name"
        label={t('field.fullName')}
        hint={t('registration.identity.nameHint')}
        maxLength={100}
      />
      {/* Three a row, so the step fits a 1366×768 screen with every error showing (issue 19). */}
      <div className="field-row field-row-3">
        <TextField {...field('birthPlace')} label={t('field.birthPlace')} maxLength={60} />
        <DateField {...field('birthDate')} label={t('field.birthDate')} notices={fieldNotices(props.warnings.birthDate, 'birthDate', props.warnings)} />
        <SexField {...field('sex')} name="sex" warnings={props.warnings.sex} />
      </div>
    </>
  )
}
