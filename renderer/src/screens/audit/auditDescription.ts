import type { TFunction } from 'i18next'
import type { AuditRow } from './auditCsv'

/**
 * One audit row in words (audit.describe.*): what happened, from the action and the codes and counts in its details
 * (details never hold personal data). Staff read "Nomor HP, Email diubah", not `fields: phone,email`. A row whose
 * action or details this does not know yet (a newer kiosk's) falls back to its details as they are.
 */
type Details = Record<string, string | number | boolean | null>

function parseDetails(details: string): Details {
  try {
    const parsed: unknown = JSON.parse(details)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Details) : {}
  } catch {
    return {}
  }
}

/** Field names as edits record them (top-level draft keys) → the form's own labels. */
const FIELD_LABELS: Record<string, string> = {
  ktpAddress: 'registration.address.ktp',
  domicile: 'registration.address.domicile',
  photos: 'audit.describe.photos',
  consent: 'audit.describe.consent',
}

function fieldLabel(t: TFunction, i18nExists: (key: string) => boolean, field: string): string {
  const key = FIELD_LABELS[field] ?? `field.${field}`
  return i18nExists(key) ? t(key) : field
}

function duration(t: TFunction, seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return t('audit.describe.hours', { count: seconds / 3600 })
  if (seconds >= 60) return t('audit.describe.minutes', { count: Math.round(seconds / 60) })
  return t('audit.describe.seconds', { count: seconds })
}

export function describeAudit(row: AuditRow, t: TFunction, i18nExists: (key: string) => boolean): string {
  const d = parseDetails(row.details)
  const num = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : 0)
  const str = (key: string) => (d[key] === undefined || d[key] === null ? '' : String(d[key]))
  switch (row.action) {
    case 'register':
      return t('audit.describe.register')
    case 'view':
      return t('audit.describe.view')
    case 'approve':
      return t('audit.describe.approve')
    case 'search':
      if (d.list === 'review' || d.list === 'rejected') return t(`audit.describe.list_${d.list}`, { count: num('found') })
      return t(num('found') > 0 ? 'audit.describe.search_found' : 'audit.describe.search_none')
    case 'edit': {
      const fields = str('fields').split(',').filter(Boolean).map((f) => fieldLabel(t, i18nExists, f))
      return fields.length > 0 ? t('audit.describe.edit', { fields: fields.join(', ') }) : t('audit.describe.edit_none')
    }
    case 'photo_override':
      return t(d.kind === 'card' ? 'audit.describe.override_card' : 'audit.describe.override_face')
    case 'sign_in':
      return t('audit.describe.sign_in')
    case 'sign_out':
      return t(d.reason === 'timeout' ? 'audit.describe.sign_out_timeout' : d.reason === 'replaced' ? 'audit.describe.sign_out_replaced' : 'audit.describe.sign_out')
    case 'sign_in_failed':
      return d.known === false ? t('audit.describe.sign_in_unknown') : t('audit.describe.sign_in_failed', { count: num('attempt') })
    case 'lockout':
      return t('audit.describe.lockout', { duration: duration(t, num('seconds')) })
    case 'export':
      return t('audit.describe.export', { count: num('records'), photos: num('photos'), file: str('file') })
    case 'import':
      return t(d.replayed === true ? 'audit.describe.import_again' : 'audit.describe.import', {
        post: str('postId'),
        count: num('records'),
        accepted: num('accepted'),
        duplicate: num('duplicate'),
        rejected: num('rejected'),
      })
    case 'purge':
      return t('audit.describe.purge', { count: num('records'), photos: num('photos'), days: num('retention_days') })
    case 'update_installed':
      return t('audit.describe.update_installed', { version: str('version') })
    case 'nik_check':
      if (d.found === 'here' || d.found === 'this_post' || d.found === 'elsewhere') return t(`audit.describe.nik_check_${d.found}`)
      break
    case 'draft_park': {
      const step = `registration.steps.${str('step')}`
      return t('audit.describe.draft_park', { step: i18nExists(step) ? t(step) : str('step'), photos: num('photos') })
    }
    case 'draft_resume':
      return t('audit.describe.draft_resume', { number: num('number') })
    case 'draft_expire':
      return t('audit.describe.draft_expire', { count: num('drafts'), photos: num('photos') })
    case 'store_notice':
      if (d.change === 'dismiss') return t('audit.describe.store_notice', { folder: str('folder') })
      break
    case 'settings_change':
      if (d.mode !== undefined) return t('audit.describe.mode', { mode: i18nExists(`mode.${str('mode')}`) ? t(`mode.${str('mode')}`) : str('mode') })
      if (d.setup === 'first_supervisor') return t('audit.describe.first_supervisor')
      if (d.operator_created !== undefined) return t('audit.describe.operator_created', { operator: str('operator_created'), role: i18nExists(`role.${str('role')}`) ? t(`role.${str('role')}`) : str('role') })
      if (d.operator_unlocked !== undefined) return t('audit.describe.operator_unlocked', { operator: str('operator_unlocked') })
      if (d.operator !== undefined && typeof d.active === 'boolean') return t(d.active ? 'audit.describe.operator_activated' : 'audit.describe.operator_deactivated', { operator: str('operator') })
      if (d.setting === 'enrolment') return t('audit.describe.enrolled', { post: str('postId') })
      break
  }
  return Object.entries(d)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ')
}
