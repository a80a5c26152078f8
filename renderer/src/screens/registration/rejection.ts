import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldIssue } from '../../../../common/records'
import type { FieldErrors } from '../../components/fieldErrors'

const ADDRESS_LABEL: Readonly<Record<string, string>> = {
  ktpAddress: 'registration.address.ktp',
  domicile: 'registration.address.domicile',
}

/** Central's reason is ours to word only if it is one of our `validation.*` keys; anything else is generic. */
function knownKey(message: string, exists: (key: string) => boolean): boolean {
  return message.startsWith('validation.') && exists(message)
}

/**
 * Central's reasons in staff's words: "Alamat sesuai KTP, Kode pos: Kode pos harus 5 angka." Central names fields
 * by record path; staff know them by the form's labels. A reason we have no words for (a newer central's key,
 * `validation.rejected_by_central`) reads as a generic "rejected by central", never as a raw key.
 */
export function useIssueText(): (issue: FieldIssue) => string {
  const { t, i18n } = useTranslation()
  return useCallback(
    (issue: FieldIssue) => {
      const text = knownKey(issue.message, (key) => i18n.exists(key)) ? t(issue.message) : t('rejected.generic')
      const [head] = issue.path
      const last = String(issue.path[issue.path.length - 1] ?? '')
      // Region codes are labelled by their level ("provinceCode" → "Provinsi"); other fields by their own name.
      const fieldKey = i18n.exists(`field.${last}`) ? `field.${last}` : `field.${last.replace(/Code$/, '')}`
      const parts = [
        typeof head === 'string' && head in ADDRESS_LABEL && issue.path.length > 1 ? t(ADDRESS_LABEL[head] ?? '') : null,
        last && i18n.exists(fieldKey) ? t(fieldKey) : last ? issue.path.join('.') : null,
      ].filter((part): part is string => Boolean(part))
      return parts.length > 0 ? `${parts.join(', ')}: ${text}` : text
    },
    [t, i18n],
  )
}

/** The reasons we can word, as errors on the form's own fields, so fixing one clears it like any other error. */
export function rejectionFieldErrors(issues: readonly FieldIssue[], exists: (key: string) => boolean): FieldErrors {
  const errors: Record<string, string> = {}
  for (const issue of issues) {
    const key = issue.path.join('.')
    if (key && knownKey(issue.message, exists) && !(key in errors)) errors[key] = issue.message
  }
  return errors
}
