import type { FormEvent } from 'react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionState } from '../../../common/staff'
import { callPosko } from '../api'
import { TextField } from '../components/Field'
import { FormProblemText, focusField, newStaffErrors, OperatorIdField, PinField } from './staffFields'
import { usePinAttempt } from './usePinAttempt'

const FIELD_IDS = { operatorId: 'setup-operator', name: 'setup-name', pin: 'setup-pin', pinAgain: 'setup-pin-again' } as const

/**
 * A kiosk with no staff account yet: whoever sets it up creates the first supervisor (the kiosk accepts this only
 * while no operator exists) and is signed in as them.
 */
export function FirstRunScreen(props: { onSession: (state: SessionState) => void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState({ operatorId: '', name: '', pin: '', pinAgain: '' })
  const attempt = usePinAttempt()
  useEffect(() => focusField(FIELD_IDS.operatorId), [])

  const edit = (field: keyof typeof form) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }))
    attempt.clearFieldError(field)
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (attempt.blocked) return
    const { errors, first } = newStaffErrors(form)
    if (attempt.showFieldErrors(errors)) return focusField(FIELD_IDS[first ?? 'operatorId'])
    const result = await attempt.run((posko) => posko.session.setup({ operatorId: form.operatorId.trim(), name: form.name.trim(), pin: form.pin }))
    if (result.ok) return props.onSession(result.value)
    if (result.error.code === 'forbidden') {
      // Someone else finished the first run meanwhile: this screen no longer applies.
      const state = await callPosko((posko) => posko.session.state())
      if (state.ok) return props.onSession(state.value)
    }
    setForm((current) => ({ ...current, pin: '', pinAgain: '' }))
    focusField(FIELD_IDS.pin)
  }

  return (
    <div className="auth">
      <section className="card auth-card" aria-labelledby="setup-title">
        <h1 id="setup-title">{t('session.setup.title')}</h1>
        <p>{t('session.setup.intro')}</p>
        <form noValidate onSubmit={(event) => void onSubmit(event)}>
          <OperatorIdField id={FIELD_IDS.operatorId} hint value={form.operatorId} error={attempt.fieldErrors.operatorId} onChange={edit('operatorId')} />
          <TextField id={FIELD_IDS.name} label={t('session.setup.name')} maxLength={80} value={form.name} error={attempt.fieldErrors.name} onChange={edit('name')} />
          <PinField id={FIELD_IDS.pin} value={form.pin} error={attempt.fieldErrors.pin} onChange={edit('pin')} />
          <PinField id={FIELD_IDS.pinAgain} label={t('session.setup.pinAgain')} hint={false} value={form.pinAgain} error={attempt.fieldErrors.pinAgain} onChange={edit('pinAgain')} />
          <FormProblemText id="setup-problem" problem={attempt.problem} />
          <div className="actions actions-start">
            <button type="submit" className="primary" disabled={attempt.blocked}>
              {attempt.busy ? t('session.signIn.checking') : t('session.setup.submit')}
            </button>
          </div>
        </form>
      </section>
    </div>
  )
}
