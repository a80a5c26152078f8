import type { Issue } from '../../../common/result'

/** Field errors by dotted path ("ktpAddress.villageCode"), each an i18n key. */
export type FieldErrors = Readonly<Record<string, string>>

/**
 * The schema's custom messages are already `validation.*` keys; zod's own (a missing choice, a wrong type) are
 * not, and read to a person as "please fill this in".
 */
export function messageKey(issue: Pick<Issue, 'code' | 'message'>): string {
  if (issue.message.startsWith('validation.')) return issue.message
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'too_small') return 'validation.required'
  return 'validation.invalid'
}

/** Issues from the service's `invalid_input` are paths into `{ draft }`; the form's paths start at the draft. */
export function toFieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: Record<string, string> = {}
  for (const issue of issues) {
    const path = issue.path[0] === 'draft' ? issue.path.slice(1) : issue.path
    const key = path.join('.')
    // The first message per field is the one that explains the rest (length before format).
    if (key && !(key in errors)) errors[key] = messageKey(issue)
  }
  return errors
}
