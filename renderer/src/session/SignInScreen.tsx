import type { FormEvent } from 'react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionState } from '../../../common/staff'
import { FormProblemText, focusField, OperatorIdField, operatorIdError, PinField, pinError } from './staffFields'
import { pinKept, usePinAttempt } from './usePinAttempt'

/** Staff sign in with operator ID and PIN. Wrong PINs slow the next try down and the fifth locks the account. */
export function SignInScreen(props: { onSession: (state: SessionState) => void }) {
  const { t } = useTranslation()
  const [operatorId, setOperatorId] = useState('')
  const [pin, setPin] = useState('')
  const attempt = usePinAttempt()
  const { fieldErrors, clearFieldError } = attempt

  // Keyboard first: the ID field is where the operator's hands already are.
  useEffect(() => focusField('signin-operator'), [])

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (attempt.blocked) return
    const local = { operatorId: operatorIdError(operatorId), pin: pinError(pin) }
    if (attempt.showFieldErrors(local)) return focusField(local.operatorId ? 'signin-operator' : 'signin-pin')
    const result = await attempt.run((posko) => posko.session.signIn({ operatorId: operatorId.trim(), pin }))
    if (result.ok) return props.onSession(result.value)
    // A refused PIN is never left in the box for the next try (or the next person); one the pause kept unchecked is.
    if (!pinKept(result.error)) setPin('')
    focusField('signin-pin')
  }

  return (
    <div className="auth">
      <section className="card auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">{t('session.signIn.title')}</h1>
        <p>{t('session.signIn.intro')}</p>
        <form noValidate onSubmit={(event) => void onSubmit(event)}>
          <OperatorIdField
            id="signin-operator"
            value={operatorId}
            error={fieldErrors.operatorId}
            onChange={(value) => {
              setOperatorId(value)
              clearFieldError('operatorId')
            }}
          />
          <PinField
            id="signin-pin"
            value={pin}
            error={fieldErrors.pin}
            onChange={(value) => {
              setPin(value)
              clearFieldError('pin')
            }}
          />
          <FormProblemText id="signin-problem" problem={attempt.problem} />
          <div className="actions actions-start">
            <button type="submit" className="primary" disabled={attempt.blocked}>
              {attempt.waitSeconds > 0
                ? t('session.signIn.wait', { seconds: attempt.waitSeconds })
                : attempt.busy
                  ? t('session.signIn.checking')
                  : t('session.signIn.submit')}
            </button>
          </div>
        </form>
      </section>
    </div>
  )
}
