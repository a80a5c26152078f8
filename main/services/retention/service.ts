import type { DayReport } from '../../../common/records'
import { RecordState } from '../../../common/records'
import type { Logger } from '../platform/logger'
import type { Clock } from '../platform/clock'
import type { AuditLog } from '../store/audit'
import type { ReportsRepository } from '../store/reports'
import type { RetentionRepository } from '../store/retention'

const DAY_MS = 24 * 60 * 60 * 1000
/** How often the automatic purge looks for due records; it is cheap when there is nothing to do. */
const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

export interface RetentionDeps {
  retention: RetentionRepository
  reports: ReportsRepository
  audit: AuditLog
  retentionDays: number
  now: () => Date
  clock: Clock
  logger: Logger
  onChange: () => void
  /** Other personal data with a lifetime, erased on the same rounds (the photos of abandoned drafts). */
  housekeeping?: () => void
}

/**
 * Data leaves the kiosk once central has it: personal fields and photos of records central accepted (or already
 * held) are erased `retentionDays` after acceptance, daily and on a supervisor's demand. The day report reads
 * only non-personal columns.
 */
export function createRetentionService(deps: RetentionDeps) {
  let timer: unknown = null

  function purge(actor: string | null): { records: number; photos: number } {
    const cutoff = new Date(deps.now().getTime() - deps.retentionDays * DAY_MS).toISOString()
    const ids = deps.retention.purgeable(cutoff)
    const counts = ids.length > 0 ? deps.retention.purge(ids, deps.now().toISOString()) : { records: 0, photos: 0 }
if (counts.records > 0) deps.retention.compact()
    deps.audit.append({ actor, action: 'purge', details: { records: counts.records, photos: counts.photos, retention_days: deps.retentionDays } })
    deps.logger.info('retention purge', { ...counts })
    if (counts.records > 0) deps.onChange()
    return counts
  }

  function schedule(ms: number): void {
    timer = deps.clock.setTimeout(() => {
      try {
        // Only audited when it erased something: an empty automatic run every six hours would just be noise.
        const cutoff = new Date(deps.now().getTime() - deps.retentionDays * DAY_MS).toISOString()
        if (deps.retention.purgeable(cutoff).length > 0) purge(null)
        deps.housekeeping?.()
      } catch (error) {
        deps.logger.error('retention purge failed', { error: String(error) })
      }
      schedule(CHECK_EVERY_MS)
    }, ms)
  }

  return {
    purge,

    /** Local calendar day `date` (YYYY-MM-DD): registrations per operator and hour, by state, overrides, rejections. */
    dayReport(date: string): DayReport {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number]
      const from = new Date(y, m - 1, d)
      const to = new Date(y, m - 1, d + 1)
      const rows = deps.reports.createdBetween(from.toISOString(), to.toISOString())
      const perOperator = new Map<string, number>()
      const perHour = Array.from({ length: 24 }, () => 0)
      const byState = Object.fromEntries(RecordState.options.map((s) => [s, 0])) as DayReport['byState']
      const reasons = new Map<string, number>()
      let overrides = 0
      let selfService = 0
      for (const row of rows) {
        const who = row.operator_id ?? (row.self_service ? 'self-service' : 'unknown')
        perOperator.set(who, (perOperator.get(who) ?? 0) + 1)
        perHour[new Date(row.created_at).getHours()]! += 1
        const state = RecordState.safeParse(row.state)
        if (state.success) byState[state.data] += 1
        overrides += row.photo_override
        selfService += row.self_service
        if (row.rejection) {
          for (const issue of JSON.parse(row.rejection) as Array<{ message: string }>) reasons.set(issue.message, (reasons.get(issue.message) ?? 0) + 1)
        }
      }
      return {
        date,
        total: rows.length,
        selfService,
        photoOverrides: overrides,
        perOperator: [...perOperator].map(([operatorId, count]) => ({ operatorId, count })).sort((a, b) => b.count - a.count),
        perHour: perHour.map((count, hour) => ({ hour, count })),
        byState,
        rejectionsByReason: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      }
    },

    start(): void {
      if (timer === null) schedule(60_000)
    },
    stop(): void {
      if (timer !== null) deps.clock.clearTimeout(timer)
      timer = null
    },
  }
}
