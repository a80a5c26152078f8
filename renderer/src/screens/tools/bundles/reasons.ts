/**
 * `details.reason` of bundle errors (main/services/bundle, and central's 422 reasons passed through) → what staff
 * read. Several of central's reasons mean the same thing to a post: the file was damaged or changed on the way,
 * or comes from a kiosk central doesn't know; nothing of it was imported either way.
 */
const shared = {
  not_enrolled: 'tools.bundle.reason.not_enrolled',
  busy: 'tools.bundle.reason.busy',
} as const

export const EXPORT_REASONS: Readonly<Record<string, string>> = {
  ...shared,
  nothing_to_export: 'tools.bundle.reason.nothing_to_export',
  directory: 'tools.bundle.reason.directory',
  disk_full: 'tools.bundle.reason.disk_full',
  not_writable: 'tools.bundle.reason.not_writable',
}

const damaged = 'tools.bundle.reason.damaged'
const tampered = 'tools.bundle.reason.tampered'

export const IMPORT_REASONS: Readonly<Record<string, string>> = {
  ...shared,
  not_enrolled: 'tools.bundle.reason.not_enrolled_import',
  file: 'tools.bundle.reason.file',
  network: 'tools.bundle.reason.network',
  timeout: 'tools.bundle.reason.timeout',
  token_refused: 'tools.bundle.reason.token_refused',
  server: 'tools.bundle.reason.server',
  bad_answer: 'tools.bundle.reason.bad_answer',
  too_large: 'tools.bundle.reason.too_large',
  photo_too_large: 'tools.bundle.reason.too_large',
  bundle_conflict: 'tools.bundle.reason.bundle_conflict',
  unsupported_version: 'tools.bundle.reason.unsupported_version',
  unknown_kiosk_key: 'tools.bundle.reason.unknown_kiosk',
  not_a_bundle: damaged,
  bad_header: damaged,
  truncated: damaged,
  bad_signature: tampered,
  decryption_failed: tampered,
  bad_payload: tampered,
  count_mismatch: tampered,
  photo_hash_mismatch: tampered,
  invalid_bundle: tampered,
}
