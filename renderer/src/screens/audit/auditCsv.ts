import type { ChannelOutput } from '../../../../common/contract'

export type AuditRow = ChannelOutput<'audit.list'>['rows'][number]

/** Machine column names, not the UI's words: the file is read by tools and by IT, whatever the kiosk's language. */
export const AUDIT_CSV_HEADER = ['seq', 'at', 'actor', 'action', 'record_id', 'receipt_no', 'details'] as const

/**
 * One CSV field (RFC 4180 quoting). A spreadsheet runs a cell that starts with = + - @ as a formula, and an
 * operator ID may start with "-": such a cell gets a leading apostrophe so it stays text.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = [
    [...AUDIT_CSV_HEADER],
    ...rows.map((row) => [String(row.seq), row.at, row.actor ?? '', row.action, row.recordId ?? '', row.receiptNo ?? '', row.details]),
  ]
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** `audit-JT-3578-01-20260507-1042.csv`: the post and the moment, so exports from several days sort and never clash. */
export function auditFileName(postId: string, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`
  return `audit-${postId}-${stamp}.csv`
}

/**
 * Saves text as a file through a Blob URL: allowed by the CSP (no network, no data: navigation), and the kiosk's
 * download handling decides where it lands.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked a moment later: the browser resolves the URL after the click handler has returned.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
