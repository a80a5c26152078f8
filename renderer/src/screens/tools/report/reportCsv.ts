import type { DayReport } from '../../../../../common/records'
import { RecordState } from '../../../../../common/records'
import { csvField } from '../../audit/auditCsv'

/**
 * Machine names, not the UI's words, like the audit CSV: one row per number, so a spreadsheet can pivot it. The
 * report holds counts and operator IDs only (no names, no NIKs); cells still go through the audit CSV's
 * formula-injection guard, since an operator ID may start with "-".
 */
export const REPORT_CSV_HEADER = ['date', 'section', 'key', 'count'] as const

export function reportCsv(report: DayReport): string {
  const row = (section: string, key: string, count: number) => [report.date, section, key, String(count)]
  const lines = [
    [...REPORT_CSV_HEADER],
    row('total', '', report.total),
    row('self_service', '', report.selfService),
    row('photo_overrides', '', report.photoOverrides),
    ...report.perOperator.map((o) => row('operator', o.operatorId, o.count)),
    ...report.perHour.map((h) => row('hour', String(h.hour).padStart(2, '0'), h.count)),
    ...RecordState.options.map((state) => row('state', state, report.byState[state])),
    ...report.rejectionsByReason.map((r) => row('rejection', r.reason, r.count)),
  ]
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/** `report-JT-3578-01-2026-05-07.csv`: the post and the day reported, so files from several days sort. */
export function reportFileName(postId: string, date: string): string {
  return `report-${postId}-${date}.csv`
}

/** Today in the kiosk's own time zone as YYYY-MM-DD: the day the post is living, not UTC's. */
export function localDate(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
}
