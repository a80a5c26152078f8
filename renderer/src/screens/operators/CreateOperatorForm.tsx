import type { FormEvent } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OperatorView } from '../../../../common/staff'
import { Role } from '../../../../common/staff'
import type { Role as RoleName } from '../../../../common/authz'
import { ChoiceField, TextField } from '../../components/Field'
import { FormProblemText, focusField, newStaffErrors, OperatorIdField, PinField } from '../../session/staffFields'
import { usePinAttempt } from '../../session/usePinAttempt'

const FIELD_IDS = { operatorId: 'new-operator-id', name: 'new-operator-name', role: 'new-operator-role', pin: 'new-operator-pin', pinAgain: 'new-operator-pin-again' } as const
type FormState = { operatorId: string; name: string; role: RoleName; pin: string; pinAgain: string }
const empty: FormState = { operatorId: '', name: '', role: 'operator', pin: '', pinAgain: '' }

/** A new staff account with its first PIN, typed twice; the kiosk refuses a taken ID and an easy PIN. */
export function CreateOperatorForm(props: { onCreated: (operator: OperatorView) => void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState<FormState>(empty)
  const attempt = usePinAttempt()

  const edit = (field: keyof FormState) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }))
    attempt.clearFieldError(field)
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (attempt.busy) return
    const { errors, first } = newStaffErrors(form)
    if (attempt.showFieldErrors(errors)) return focusField(FIELD_IDS[first ?? 'operatorId'])
    const result = await attempt.run((posko) =>
      posko.operators.create({ operatorId: form.operatorId.trim(), name: form.name.trim(), role: form.role, pin: form.pin }),
    )
    if (result.ok) {
      setForm(empty)
      props.onCreated(result.value)
      return
    }
    if (result.error.code === 'conflict') {
      attempt.setProblem(null)
      attempt.showFieldErrors({ operatorId: 'validation.operator_taken' })
      return focusField(FIELD_IDS.operatorId)
    }
    if (result.error.code === 'invalid_input') focusField(FIELD_IDS.pin)
  }

  return (
    <section className="card" aria-labelledby="create-operator">
      <h2 id="create-operator">{t('operators.create')}</h2>
      <form className="create-operator" noValidate onSubmit={(event) => void onSubmit(event)}>
        <div className="field-row">
          <OperatorIdField id={FIELD_IDS.operatorId} value={form.operatorId} error={attempt.fieldErrors.operatorId} onChange={edit('operatorId')} />
          <TextField id={FIELD_IDS.name} label={t('operators.name')} maxLength={80} value={form.name} error={attempt.fieldErrors.name} onChange={edit('name')} />
        </div>
        <ChoiceField
          id={FIELD_IDS.role}
          name="new-operator-role"
          label={t('operators.role')}
          value={form.role}
          options={Role.options.map((role) => ({ value: role, label: t(`role.${role}`) }))}
          onChange={(value) => setForm((current) => ({ ...current, role: Role.parse(value) }))}
        />
        <div className="field-row">
          <PinField id={FIELD_IDS.pin} value={form.pin} error={attempt.fieldErrors.pin} onChange={edit('pin')} />
          <PinField id={FIELD_IDS.pinAgain} label={t('session.setup.pinAgain')} value={form.pinAgain} error={attempt.fieldErrors.pinAgain} onChange={edit('pinAgain')} />
        </div>
        <FormProblemText id="create-operator-problem" problem={attempt.problem} />
        <div className="actions actions-start">
          <button type="submit" className="primary" disabled={attempt.busy}>
            {t('operators.create')}
          </button>
        </div>
      </form>
    </section>
  )
}
