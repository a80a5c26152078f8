import type { PoskoErrorShape } from '../../../../common/result'
import type { Reasons } from '../../components/job/reasonKey'
import { reasonKey } from '../../components/job/reasonKey'

/**
 * `details.reason` of a refused diagnostics export (main/services/diagnostics/service.ts) → what IT reads. Any
 * other refusal falls back to the error code's sentence; the English `message` is for logs only.
 */
const EXPORT_REASONS: Reasons = {
  directory: 'diagnostics.export.reason.directory',
  not_writable: 'diagnostics.export.reason.not_writable',
  disk_full: 'diagnostics.export.reason.disk_full',
  write_failed: 'diagnostics.export.reason.write_failed',
}

export function exportErrorKey(error: PoskoErrorShape): string {
  // The kiosk's own shape check of the folder (common/contract.ts) answers with its i18n key as the issue.
  const absolute = error.code === 'invalid_input' && error.issues?.some((issue) => issue.message === 'validation.absolute_path')
  return absolute ? reasonKey(error, EXPORT_REASONS, 'diagnostics.export.absolute') : reasonKey(error, EXPORT_REASONS)
}
