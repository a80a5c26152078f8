import type { FormEvent } from 'react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionState } from '../../../common/staff'
import type { PoskoErrorShape } from '../../../common/result'
import { FormProblemText, focusField, PinField, pinError } from './staffFields'
import { pinKept, usePinAttempt } from './usePinAttempt'

type Operator = NonNullable<SessionState['operator']>

/**
 * Covers the whole app, opaque (the screen behind may hold an applicant's data), while the app underneath stays
 * mounted and inert: a half-typed registration is still there after the PIN. Only the same operator unlocks;
 * anyone else signs out, which discards the work.
 */
export function LockOverlay(props: {
  operator: Operator
  timeoutMinutes: number
  onSession: (state: SessionState) => void
  /** Resolves with the refusal, if the kiosk refused; on success the session change replaces this screen. */
  onSignOut: () => Promise<PoskoErrorShape | null>
}) {
  const { t } = useTranslation()
  const [pin, setPin] = useState('')
  const attempt = usePinAttempt()
  useEffect(() => focusField('unlock-pin'), [])

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (attempt.blocked) return
    if (attempt.showFieldErrors({ pin: pinError(pin) })) return focusField('unlock-pin')
    const result = await attempt.run((posko) => posko.session.unlock({ pin }))
    if (result.ok) return props.onSession(result.value)
    // The operator is known here: "wrong ID or PIN" would send them looking at an ID they never typed.
    if (result.error.code === 'wrong_pin') attempt.setProblem({ key: 'session.locked.wrongPin' })
    if (!pinKept(result.error)) setPin('')
    focusField('unlock-pin')
  }

  const signOut = async () => {
    const refused = await props.onSignOut()
    if (refused) attempt.setProblem({ key: `errors.${refused.code}` })
  }

  const role = t(`role.${props.operator.role}`)
  return (
    <div className="lock-overlay">
      <section className="card auth-card" role="dialog" aria-modal="true" aria-labelledby="lock-title" aria-describedby="lock-who">
        <h1 id="lock-title">{t('session.locked.title')}</h1>
        <p id="lock-who" className="lock-who">
          {t('session.locked.who', { name: props.operator.name, role })}
        </p>
        <p>{t('session.locked.intro')}</p>
        <form noValidate onSubmit={(event) => void onSubmit(event)}>
          <PinField
            id="unlock-pin"
            value={pin}
            error={attempt.fieldErrors.pin}
            onChange={(value) => {
              setPin(value)
              attempt.clearFieldError('pin')
            }}
          />
          <FormProblemText id="unlock-problem" problem={attempt.problem} />
          <div className="actions actions-start">
            <button type="submit" className="primary" disabled={attempt.blocked}>
              {attempt.waitSeconds > 0 ? t('session.signIn.wait', { seconds: attempt.waitSeconds }) : t('session.locked.unlock')}
            </button>
          </div>
        </form>
        <div className="lock-switch">
          <p className="muted">{t('session.locked.signOutHint')}</p>
          <button type="button" onClick={() => void signOut()}>
            {t('session.signOut')}
          </button>
        </div>
        <p className="muted">{t('session.locked.auto', { minutes: props.timeoutMinutes })}</p>
      </section>
    </div>
  )
}
