import type { Db } from './db'

export interface ReportRow {
  operator_id: string | null
  created_at: string
  state: string
  self_service: number
  photo_override: number
  rejection: string | null
}

export interface ReportsRepository {
  /** Non-personal columns only: the day report can never show a name or a NIK. */
  createdBetween(fromIso: string, toIso: string): ReportRow[]
}

export function createReportsRepository(db: Db): ReportsRepository {
  const rows = db.prepare<[string, string], ReportRow>(
    `SELECT operator_id, created_at, state, self_service, photo_override, rejection
       FROM registrations WHERE created_at >= ? AND created_at < ? ORDER BY created_at`,
  )
  return { createdBetween: (from, to) => rows.all(from, to) }
}
