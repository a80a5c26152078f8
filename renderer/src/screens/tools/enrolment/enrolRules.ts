import type { PoskoErrorShape } from '../../../../../common/result'

/** The form's fields, in the order they are shown (and focused when one is wrong). */
export const ENROL_FIELDS = ['centralUrl', 'postId', 'code'] as const
export type EnrolField = (typeof ENROL_FIELDS)[number]
export type EnrolForm = Record<EnrolField, string>
export type EnrolErrors = Partial<Record<EnrolField, string>>

/**
 * The kiosk's own rules (main/services/enrolment), checked before anything is sent so a typo is explained at the
 * field instead of costing a round trip to central. The kiosk checks again and has the last word.
 */
export function enrolFormErrors(form: EnrolForm): EnrolErrors {
  const errors: EnrolErrors = {}
  const url = form.centralUrl.trim()
  if (url === '') errors.centralUrl = 'validation.required'
  else if (!validCentralUrl(url)) errors.centralUrl = 'tools.enrolment.reason.invalid_centralUrl'
  const postId = normalisePostId(form.postId)
  if (postId === '') errors.postId = 'validation.required'
  else if (!/^[A-Z0-9-]{2,20}$/.test(postId)) errors.postId = 'tools.enrolment.reason.invalid_postId'
  const code = form.code.replace(/[\s-]+/g, '')
  if (code === '') errors.code = 'validation.required'
  else if (!/^[A-Za-z0-9]{12}$/.test(code)) errors.code = 'tools.enrolment.reason.invalid_code'
  return errors
}

function validCentralUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || value.length > 200) return false
  try {
    const url = new URL(value)
    return !url.username && !url.password && !url.search && !url.hash
  } catch {
    return false
  }
}

export const normalisePostId = (value: string) => value.trim().toUpperCase()

/** Reasons that belong to one field: shown under it rather than above the form. */
const FIELD_REASONS: Readonly<Record<string, EnrolField>> = {
  invalid_centralUrl: 'centralUrl',
  not_supported: 'centralUrl',
  invalid_postId: 'postId',
  invalid_code: 'code',
  code_refused: 'code',
}

/** Reasons about the whole attempt (the network, central, this kiosk's queue). */
export const FORM_REASONS: Readonly<Record<string, string>> = {
  network: 'tools.enrolment.reason.network',
  timeout: 'tools.enrolment.reason.timeout',
  queue_not_empty: 'tools.enrolment.reason.queue_not_empty',
  in_progress: 'tools.enrolment.reason.in_progress',
  bad_answer: 'tools.enrolment.reason.bad_answer',
  server: 'tools.enrolment.reason.server',
  conflict: 'tools.enrolment.reason.conflict',
  key_already_enrolled: 'tools.enrolment.reason.conflict',
}

/** Where a refusal is shown: at a field (with its key) or for the form. */
export function placeRefusal(error: PoskoErrorShape): { field: EnrolField; key: string } | null {
  const reason = error.details?.reason
  if (typeof reason !== 'string') return null
  const field = FIELD_REASONS[reason]
  return field ? { field, key: `tools.enrolment.reason.${reason}` } : null
}
