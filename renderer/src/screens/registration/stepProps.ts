import type { WarningCode, WarningToConfirm } from '../../../../common/acknowledgements'
import type { RegistrationForm } from './form'
import type { FieldErrors } from '../../components/fieldErrors'

/** A change to the form: the fields to set, or a function of the form as it is when the change lands. */
export type FormPatch = Partial<RegistrationForm> | ((current: RegistrationForm) => Partial<RegistrationForm>)

/** What every form step gets: the whole form (it edits a slice of it), the errors to show, and an updater. */
export interface StepProps {
  form: RegistrationForm
  errors: FieldErrors
  update: (patch: FormPatch) => void
}

/** Non-blocking notes from `registration.validate`, already sorted to the fields they belong to. */
export interface DraftWarnings {
  nik: readonly string[]
  birthDate: readonly string[]
  sex: readonly string[]
  /** The corrected address when the check suggests one (`email.suggest:gmail.com`). */
  emailSuggestion: string | null
  /** Warnings that need an answer before the step moves on (issue 19), wherever their field is shown. */
  confirm: readonly WarningToConfirm[]
}

export const noWarnings: DraftWarnings = { nik: [], birthDate: [], sex: [], emailSuggestion: null, confirm: [] }

/** The answers to `DraftWarnings.confirm`: whether one was given, and giving it. */
export interface WarningAnswers {
  answered: (warning: WarningCode) => boolean
  answer: (warning: WarningToConfirm) => void
}

/** What the steps with warnings get: the remarks and questions, and the way to answer them. */
export type StepWarnings = DraftWarnings & { answers: WarningAnswers }

/**
 * A step's own check for what the draft schema can't see (kiosk settings, a camera verdict not yet dealt with):
 * the flow runs it with the schema's check before moving on, and treats its errors like the schema's.
 */
export type StepCheck = () => FieldErrors
