import type { AnomalyListView, AnomalyRecordView, AnomalyView, MarkDuplicateInput } from '../../../common/network'
import { DomainError } from '../../../common/result'
import type { CentralClient } from '../central/client'
import type { Logger } from '../platform/logger'
import type { RosterKiosk } from '../platform/post-roster'
import type { AuditEntry } from '../store/audit'
import type { AnomalyRow, PostLogRepository, ResolvedMark } from '../store/post-log'
import { OWN_LOG } from '../store/post-log'
import type { SettingsRepository } from '../store/settings'

/**
 * The anomaly screen (issue 21.4). While the post network is split, two desks can each accept the same NIK; once
 * their logs meet again the post-wide NIK index (`post_nik`, post NIK HMACs only) holds that HMAC twice. This lists
 * those NIKs with what this desk may show, and lets a supervisor mark one record as the duplicate of another.
 *
 * The mark is an event of this desk's own log ('resolved', migration 014), written in one transaction with its
 * audit row, so it replicates like any event and the NIK reads resolved at every desk; this desk then sends it to
 * central (POST /v1/duplicates), in log order, until central has acknowledged it (a settings high-water mark), so a
 * post offline for days sends it when the uplink returns. Record states are not touched: central decides a record's
 * state, and a record of another desk is that desk's to write.
 *
 * Marks are a union like the rest of the log: a record marked by any desk is marked. A NIK is resolved when at most
 * one of its records is left unmarked.
 */
export const MARKS_SENT_SETTING = 'postLogMarksSentSeq'

export interface AnomalyService {
  list(): AnomalyListView
  mark(input: MarkDuplicateInput, operatorId: string | null): AnomalyView
  /** Sends this desk's marks central has not acknowledged yet; stops at the first that fails for now. */
  sendToCentral(): Promise<{ sent: number; pending: number }>
}

export interface AnomalyDeps {
  repo: PostLogRepository
  roster: () => { kiosks: readonly RosterKiosk[] } | null
  kioskId: () => string | null
  /** The applicant's name of one of this desk's own records (null when it cannot be read: purged, another key). */
  nameOf: (recordId: string) => string | null
  audit: { append(entry: AuditEntry): unknown }
  transaction: <T>(fn: () => T) => T
  settings: SettingsRepository
  central: () => Pick<CentralClient, 'markDuplicate'> | null
  logger: Logger
  now: () => Date
}

export function createAnomalyService(deps: AnomalyDeps): AnomalyService {
  const { repo, logger } = deps

  function deskName(kioskId: string): string | null {
    const id = kioskId === OWN_LOG ? deps.kioskId() : kioskId
    return deps.roster()?.kiosks.find((k) => k.kioskId === id)?.name ?? null
  }

  function groups(): AnomalyRow[][] {
    const byHmac = new Map<string, AnomalyRow[]>()
    for (const row of repo.anomalies()) {
      const key = row.nikHmac.toString('hex')
      const group = byHmac.get(key)
      if (group) group.push(row)
      else byHmac.set(key, [row])
    }
    return [...byHmac.values()]
  }

  function view(group: AnomalyRow[]): AnomalyView {
    const marks = new Map<string, ResolvedMark>()
    // The first mark of a record stands (by time); a later one from another desk changes nothing on screen.
    for (const mark of repo.marksOn(group.map((r) => r.recordId))) if (!marks.has(mark.recordId)) marks.set(mark.recordId, mark)
    const records: AnomalyRecordView[] = group.map((row) => {
      const mark = marks.get(row.recordId) ?? null
      const own = row.kioskId === OWN_LOG
      return {
        recordId: row.recordId,
        desk: deskName(row.kioskId),
        ownDesk: own,
        receiptNo: row.receiptNo,
        registeredAt: row.at,
        state: row.state === null || row.state === 'purged' ? 'queued' : row.state,
        fullName: own ? deps.nameOf(row.recordId) : null,
        duplicateOf: mark?.keptId ?? null,
        markedBy: mark ? { desk: deskName(mark.kioskId), operatorId: mark.operatorId, at: mark.at } : null,
      }
    })
    return { id: group[0]!.recordId, resolved: records.filter((r) => r.duplicateOf === null).length <= 1, records }
  }

  return {
    list() {
      const anomalies = groups().map(view)
      // Open ones first, then newest first within each: the screen is a to-do list.
      anomalies.sort((a, b) => Number(a.resolved) - Number(b.resolved) || (b.records.at(-1)!.registeredAt < a.records.at(-1)!.registeredAt ? -1 : 1))
      return { anomalies, open: anomalies.filter((a) => !a.resolved).length }
    },

    mark({ duplicateId, keptId }, operatorId) {
      return deps.transaction(() => {
        const group = groups().find((g) => g.some((r) => r.recordId === duplicateId))
        if (!group) throw new DomainError('not_found', 'No NIK registered twice in the post holds that record')
        if (!group.some((r) => r.recordId === keptId)) throw new DomainError('conflict', 'The record to keep does not hold the same NIK', { reason: 'not_same_nik' })
        const before = view(group)
        const marked = new Map(before.records.map((r) => [r.recordId, r.duplicateOf]))
        if (marked.get(duplicateId)) throw new DomainError('conflict', 'That record is already marked as a duplicate', { reason: 'already_marked' })
        if (marked.get(keptId)) throw new DomainError('conflict', 'The record to keep is itself marked as a duplicate', { reason: 'kept_is_duplicate' })
        const at = deps.now().toISOString()
        const seq = repo.appendResolved({ recordId: duplicateId, keptId, operatorId, at })
        deps.audit.append({ actor: operatorId, action: 'mark_duplicate', recordId: duplicateId, details: { keptId, seq } })
        logger.info('network: a record was marked as the duplicate of another', { duplicateId, keptId, seq })
        return view(group)
      })
    },

    async sendToCentral() {
      const client = deps.central()
      const after = Number(deps.settings.get(MARKS_SENT_SETTING) ?? 0)
      const pending = repo.ownMarksAfter(after)
      if (!client || pending.length === 0) return { sent: 0, pending: pending.length }
      let sent = 0
      for (const mark of pending) {
        const outcome = await client.markDuplicate({ duplicateId: mark.recordId, keptId: mark.keptId, markedAt: mark.at, operatorId: mark.operatorId })
        if (!outcome.ok) {
          const { failure } = outcome
          // Central holds another desk's mark for this record, or will never take this one: it stays in the post's
          // log (every desk shows it) and is not retried forever.
          if (failure.kind === 'conflict' || failure.kind === 'bad_request') {
            logger.warn('network: central did not take a duplicate mark', { duplicateId: mark.recordId, failure: failure.kind })
          } else {
            logger.info('network: duplicate marks wait for central', { pending: pending.length - sent, failure: failure.kind })
            return { sent, pending: pending.length - sent }
          }
        }
        deps.settings.set(MARKS_SENT_SETTING, String(mark.seq), deps.now())
        sent++
      }
      return { sent, pending: 0 }
    },
  }
}
