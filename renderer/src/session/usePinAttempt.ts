import { useCallback, useEffect, useState } from 'react'
import type { PoskoApi } from '../../../common/api'
import type { PoskoErrorShape, Result } from '../../../common/result'
import { callPosko } from '../api'
import { toFieldErrors } from '../components/fieldErrors'
import { useSecondsLeft } from './useSecondsLeft'

/** A refusal said at the form (not at one field): an i18n key and its values. */
export interface FormProblem {
  key: string
  params?: Record<string, number | string>
}

export type FieldErrors = Readonly<Record<string, string>>

/**
 * A refusal that never looked at the PIN (the short pause after a wrong one): the PIN stays typed, to be sent when
 * the pause ends. Not the self-service kiosk-wide limit (minutes long, and the next person would find it there).
 */
export function pinKept(error: PoskoErrorShape): boolean {
  return error.code === 'too_many_attempts' && error.details?.scope !== 'kiosk'
}

/** The kiosk refuses PINs staff would guess first (all one digit, a run) with this detail. */
function weakPin(error: PoskoErrorShape): boolean {
  return error.details?.field === 'pin' && error.details.reason === 'weak'
}

/**
 * One attempt at a PIN-guarded call (sign-in, first-run, unlock, a new operator's PIN): tracks the call in flight,
 * words the refusal, and after `too_many_attempts` keeps the form shut for the seconds the kiosk asked for.
 */
export function usePinAttempt() {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<FormProblem | null>(null)
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [retryUntil, setRetryUntil] = useState<number | null>(null)
  const waitSeconds = useSecondsLeft(retryUntil)

  useEffect(() => {
    // The wait is over: the "wait N seconds" message has said what it had to.
    if (retryUntil !== null && waitSeconds === 0) {
      setRetryUntil(null)
      setProblem(null)
    }
  }, [waitSeconds, retryUntil])

  const explain = useCallback((error: PoskoErrorShape) => {
    switch (error.code) {
      case 'too_many_attempts': {
        const seconds = Math.max(1, Math.ceil(Number(error.details?.retryInSeconds ?? 1)))
        setRetryUntil(Date.now() + seconds * 1000)
        // The pause after one operator's wrong PIN (seconds) is not "too many attempts": the PIN just typed was not
        // even checked, so say that, count down, and leave it in the box (pinKept). The kiosk-wide self-service limit
        // keeps its own words.
        setProblem(pinKept(error) ? { key: 'session.pinWait', params: { count: seconds } } : { key: 'errors.too_many_attempts', params: { seconds } })
        return
      }
      case 'invalid_input': {
        const fields: Record<string, string> = { ...toFieldErrors(error.issues ?? []) }
        if (weakPin(error)) fields.pin = 'validation.pin_weak'
        if (Object.keys(fields).length > 0) setFieldErrors(fields)
        else setProblem({ key: 'errors.invalid_input' })
        return
      }
      default:
        setProblem({ key: `errors.${error.code}` })
    }
  }, [])

  const run = useCallback(
    async <T,>(call: (posko: PoskoApi) => Promise<Result<T>>): Promise<Result<T>> => {
      setBusy(true)
      setProblem(null)
      setFieldErrors({})
      const result = await callPosko(call)
      setBusy(false)
      if (!result.ok) explain(result.error)
      return result
    },
    [explain],
  )

  /** A field being corrected stops showing its error; the next attempt says whether it is right now. */
  const clearFieldError = useCallback((field: string) => {
    setFieldErrors((current) => {
      if (!(field in current)) return current
      const { [field]: _cleared, ...rest } = current
      return rest
    })
  }, [])

  /** Errors found before sending (a PIN too short, two PINs that differ): shown the same way as the kiosk's. */
  const showFieldErrors = useCallback((errors: Readonly<Record<string, string | undefined>>) => {
    const present = Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    setFieldErrors(Object.fromEntries(present))
    return present.length > 0
  }, [])

  // The pause message counts down with the button.
  const shown = problem?.key === 'session.pinWait' && waitSeconds > 0 ? { ...problem, params: { count: waitSeconds } } : problem
  return { busy, problem: shown, setProblem, fieldErrors, clearFieldError, showFieldErrors, waitSeconds, blocked: busy || waitSeconds > 0, run }
}
