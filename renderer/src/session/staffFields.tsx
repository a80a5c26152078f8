import { useTranslation } from 'react-i18next'
import { OperatorId, Pin } from '../../../common/staff'
import { TextField } from '../components/Field'
import type { FormProblem } from './usePinAttempt'

/**
 * The same rules the kiosk applies (common/contract.ts), checked before sending so a typo is explained at the
 * field at once instead of costing a PIN attempt.
 */
export function operatorIdError(value: string): string | undefined {
  if (value.trim() === '') return 'validation.required'
  return OperatorId.safeParse(value).success ? undefined : 'validation.operator_id'
}

export function pinError(value: string): string | undefined {
  if (value === '') return 'validation.required'
  return Pin.safeParse(value).success ? undefined : 'validation.pin'
}

/** A staff member's name, as the kiosk accepts it (2 to 80 characters). */
export function nameError(value: string): string | undefined {
  const trimmed = value.trim()
  if (trimmed === '') return 'validation.required'
  if (trimmed.length < 2) return 'validation.name_short'
  return trimmed.length > 80 ? 'validation.too_long' : undefined
}

/**
 * A new account's own fields (first run, a supervisor adding staff): ID, name and the PIN typed twice, checked as
 * the kiosk would, with the first field at fault for the focus.
 */
export function newStaffErrors(form: { operatorId: string; name: string; pin: string; pinAgain: string }) {
  const errors = {
    operatorId: operatorIdError(form.operatorId),
    name: nameError(form.name),
    pin: pinError(form.pin),
    pinAgain: form.pinAgain === form.pin ? undefined : 'validation.pin_mismatch',
  }
  const first = (['operatorId', 'name', 'pin', 'pinAgain'] as const).find((field) => errors[field])
  return { errors, first }
}

/**
 * A PIN box: masked, with the numeric keypad on touch screens, never remembered by the browser. Digits only are
 * kept, so a stray letter can't turn a right PIN into a wrong attempt.
 */
export function PinField(props: { id: string; label?: string; value: string; error?: string | undefined; hint?: boolean; onChange: (value: string) => void }) {
  const { t } = useTranslation()
  return (
    <TextField
      id={props.id}
      type="password"
      inputMode="numeric"
      className="input-pin"
      label={props.label ?? t('session.pin')}
      hint={props.hint === false ? undefined : t('session.pinHint')}
      maxLength={12}
      value={props.value}
      error={props.error}
      onChange={(value) => props.onChange(value.replace(/\D/g, ''))}
    />
  )
}

export function OperatorIdField(props: { id: string; value: string; error?: string | undefined; hint?: boolean; onChange: (value: string) => void }) {
  const { t } = useTranslation()
  return (
    <TextField
      id={props.id}
      label={t('session.operatorId')}
      hint={props.hint ? t('session.operatorIdHint') : undefined}
      maxLength={32}
      value={props.value}
      error={props.error}
      onChange={props.onChange}
    />
  )
}

/** A refusal of the whole form (wrong PIN, account locked, wait), announced where the person is looking. */
export function FormProblemText(props: { id: string; problem: FormProblem | null }) {
  const { t } = useTranslation()
  if (!props.problem) return null
  return (
    <p id={props.id} className="form-problem" role="alert">
      {t(props.problem.key, props.problem.params)}
    </p>
  )
}

export function focusField(id: string): void {
  // After React has rendered the error, so the field is announced with it.
  requestAnimationFrame(() => document.getElementById(id)?.focus())
}
