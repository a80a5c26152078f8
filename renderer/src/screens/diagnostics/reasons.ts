import type { PoskoErrorShape } from '../../../../common/result'

/**
 * `details.reason` of a refused diagnostics export (main/services/diagnostics/service.ts) → what IT reads. Any
 * other refusal falls back to the error code's sentence; the English `message` is for logs only.
 */
const EXPORT_REASONS: Readonly<Record<string, string>> = {
  directory: 'diagnostics.export.reason.directory',
  not_writable: 'diagnostics.export.reason.not_writable',
  disk_full: 'diagnostics.export.reason.disk_full',
  write_failed: 'diagnostics.export.reason.write_failed',
}

export function exportErrorKey(error: PoskoErrorShape): string {
  const reason = error.details?.reason
  if (typeof reason === 'string' && Object.hasOwn(EXPORT_REASONS, reason)) return EXPORT_REASONS[reason] ?? `errors.${error.code}`
  // The kiosk's own shape check of the folder (common/contract.ts) answers with its i18n key as the issue.
  if (error.code === 'invalid_input' && error.issues?.some((issue) => issue.message === 'validation.absolute_path')) return 'diagnostics.export.absolute'
  return `errors.${error.code}`
}
