import { useEffect, useState } from 'react'
import type { ValidationReport } from '../../../../common/records'
import { getPosko } from '../../api'
import type { RegistrationForm } from './form'
import { toDraftInput } from './form'
import type { DraftWarnings } from './stepProps'
import { noWarnings } from './stepProps'

/** Long enough not to ask on every keystroke, short enough that a hint is there before the person moves on. */
const PAUSE_MS = 350

/**
 * The kiosk's non-blocking remarks on the draft so far (NIK vs typed birth date, a likely email typo), asked
 * for whenever typing pauses. Errors are not taken from here: they appear when the person tries to move on.
 */
export function useDraftWarnings(form: RegistrationForm, enabled: boolean): DraftWarnings {
  const [warnings, setWarnings] = useState<DraftWarnings>(noWarnings)
  useEffect(() => {
    const posko = getPosko()
    // Once the registration is done its remarks (an email address among them) leave memory with the draft.
    if (!enabled) setWarnings(noWarnings)
    if (!enabled || !posko) return
    let live = true
    const timer = setTimeout(() => {
      const email = form.email.trim()
      void posko.registration
        .validate({ draft: toDraftInput(form) })
        .then((result) => {
          if (live && result.ok) setWarnings(sortWarnings(result.value, email))
        })
        .catch(() => undefined)
    }, PAUSE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [form, enabled])
  return warnings
}

const FIELD_OF_NIK_WARNING: Readonly<Record<string, 'birthDate' | 'sex'>> = {
  'nik.birth_date_differs': 'birthDate',
  'nik.sex_differs': 'sex',
}

/** Remarks that are asked as questions instead (report.confirm, at the birth date and the NIK): not said twice. */
const ASKED: ReadonlySet<string> = new Set(['nik.age_out_of_range', 'nik.regency_unknown'])

/** Places each remark by what it is about rather than by path, so it shows wherever that field is on screen. */
export function sortWarnings(report: ValidationReport, email: string): DraftWarnings {
  const codes = [...report.warnings.map((w) => w.message), ...(report.nik?.warnings ?? [])].map((code) =>
    code.startsWith('nik.') || code.startsWith('email.') ? code : `nik.${code}`,
  )
  const unique = [...new Set(codes)]
  const suggestedDomain = unique.find((code) => code.startsWith('email.suggest:'))?.slice('email.suggest:'.length)
  const local = email.includes('@') ? email.slice(0, email.lastIndexOf('@')) : email
  return {
    nik: unique.filter((code) => code.startsWith('nik.') && !(code in FIELD_OF_NIK_WARNING) && !ASKED.has(code)),
    birthDate: unique.filter((code) => FIELD_OF_NIK_WARNING[code] === 'birthDate'),
    sex: unique.filter((code) => FIELD_OF_NIK_WARNING[code] === 'sex'),
    emailSuggestion: suggestedDomain && local ? `${local}@${suggestedDomain}` : null,
    confirm: report.confirm,
  }
}
