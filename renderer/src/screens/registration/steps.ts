import { RegistrationDraft } from '../../../../common/registration'
import type { FieldErrors } from '../../components/fieldErrors'
import { toFieldErrors } from '../../components/fieldErrors'
import type { RegistrationForm } from './form'
import { toDraftInput } from './form'

export const STEPS = ['consent', 'scan', 'nik', 'identity', 'address', 'contact', 'employment', 'photo', 'review', 'receipt'] as const
export type StepId = (typeof STEPS)[number]

/** The draft's top-level fields each step owns: an issue's first path segment says where to send the person. */
const OWNED: Readonly<Record<StepId, readonly string[]>> = {
  consent: ['consent'],
  // The KTP scan fills other steps' fields; it owns none, so nothing can send a person back to it.
  scan: [],
  nik: ['nik'],
  identity: ['fullName', 'birthPlace', 'birthDate', 'sex'],
  address: ['ktpAddress', 'domicile'],
  contact: ['phone', 'email'],
  employment: ['education', 'employment'],
  photo: ['photos'],
  review: [],
  receipt: [],
}

export function stepOf(path: readonly (string | number)[]): StepId | null {
  const head = path[0]
  return STEPS.find((step) => typeof head === 'string' && OWNED[step].includes(head)) ?? null
}

/** Every problem the shared schema finds in the form, by field. */
export function draftErrors(form: RegistrationForm): FieldErrors {
  const parsed = RegistrationDraft.safeParse(toDraftInput(form))
  if (parsed.success) return {}
  // zod allows symbol path segments in general; a form path never has one.
  return toFieldErrors(
    parsed.error.issues.map((issue) => ({
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      code: issue.code,
      message: issue.message,
    })),
  )
}

/** The errors of the fields `step` owns: the whole draft is checked so cross-field rules still apply. */
export function validateStep(step: StepId, form: RegistrationForm): FieldErrors {
  return Object.fromEntries(Object.entries(draftErrors(form)).filter(([path]) => stepOf(path.split('.')) === step))
}

/** Errors of other steps stay; the step's own are replaced by a fresh check. */
export function replaceStepErrors(all: FieldErrors, step: StepId, fresh: FieldErrors): FieldErrors {
  const kept = Object.entries(all).filter(([path]) => stepOf(path.split('.')) !== step)
  return { ...Object.fromEntries(kept), ...fresh }
}

/** Field order on screen, so "the first invalid field" is the top-most one rather than the schema's order. */
export function firstErrorPath(errors: FieldErrors): string | null {
  const ordered = Object.keys(errors).sort((a, b) => fieldRank(a) - fieldRank(b))
  return ordered[0] ?? null
}

export const FIELD_ORDER = [
  'consent.dataProcessing', 'consent.truthfulness', 'nik', 'fullName', 'birthPlace', 'birthDate', 'sex',
  'ktpAddress.provinceCode', 'ktpAddress.regencyCode', 'ktpAddress.districtCode', 'ktpAddress.villageCode',
  'ktpAddress.street', 'ktpAddress.rt', 'ktpAddress.rw', 'ktpAddress.postalCode',
  'domicile.provinceCode', 'domicile.regencyCode', 'domicile.districtCode', 'domicile.villageCode',
  'domicile.street', 'domicile.rt', 'domicile.rw', 'domicile.postalCode',
  // Work before schooling: the order the step shows them in (EmploymentStep, the self-service pages).
  'phone', 'email', 'employment', 'education',
]

function fieldRank(path: string): number {
  const exact = FIELD_ORDER.indexOf(path)
  if (exact >= 0) return exact
  const step = stepOf(path.split('.'))
  return FIELD_ORDER.length + (step ? STEPS.indexOf(step) : STEPS.length)
}

export function firstStepWithErrors(errors: FieldErrors): StepId | null {
  const steps = Object.keys(errors).map((path) => stepOf(path.split('.')))
  return STEPS.find((step) => steps.includes(step)) ?? null
}
