import { createHash } from 'node:crypto'
import type { AuditRowView } from '../../../common/staff'
import type { Db } from './db'

/** What the audit log records. No personal data: record ids, codes and counts only. */
export type AuditAction =
  | 'register'
  | 'view'
  | 'search'
  | 'edit'
  | 'approve'
  | 'photo_override'
  | 'reprint'
  | 'call_staff'
  | 'sign_in'
  | 'sign_out'
  | 'sign_in_failed'
  | 'lockout'
  | 'export'
  | 'import'
  | 'purge'
  | 'settings_change'
  | 'update_installed'
  | 'draft_park'
  | 'draft_resume'
  | 'draft_expire'
  | 'nik_check'
  | 'mark_duplicate'
  | 'pair_desk'
  | 'pair_reject'
  | 'restore_desk'
  | 'backup_stick'
  | 'store_notice'

export interface AuditEntry {
  actor: string | null
  action: AuditAction
  recordId?: string | null
  details?: Readonly<Record<string, string | number | boolean | null>>
}

export interface AuditRow {
  seq: number
  at: string
  actor: string | null
  action: string
  record_id: string | null
  details: string
  prev_hash: string
  hash: string
}

export type AuditVerdict = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: 'hash' | 'link' | 'gap' }

const GENESIS = '0'.repeat(64)

/** Canonical form: fixed field order, details with sorted keys, so the same row always hashes the same. */
function canonicalDetails(details: AuditEntry['details']): string {
  const entries = Object.entries(details ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))
  return JSON.stringify(Object.fromEntries(entries))
}

export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actor, row.action, row.record_id, row.details, row.prev_hash])
  return createHash('sha256').update(canonical).digest('hex')
}

export interface AuditLog {
  append(entry: AuditEntry): AuditRow
  verify(): AuditVerdict
  list(filter?: { action?: string; limit?: number; beforeSeq?: number }): AuditRow[]
  /** The last row's seq and hash (null while the log is empty): the heartbeat sends it so central sees rewrites. */
  head(): { seq: number; hash: string } | null
}

export function createAuditLog(db: Db, now: () => Date): AuditLog {
  const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')
  const insert = db.prepare<[number, string, string | null, string, string | null, string, string, string]>(
    'INSERT INTO audit (seq, at, actor, action, record_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const all = db.prepare<[], AuditRow>('SELECT * FROM audit ORDER BY seq')
  const page = db.prepare<[string | null, string | null, number, number], AuditRow>(
    'SELECT * FROM audit WHERE (? IS NULL OR action = ?) AND seq < ? ORDER BY seq DESC LIMIT ?',
  )

  // Reading the tail and inserting must be one transaction, or two appends could chain to the same parent.
  const append = db.transaction((entry: AuditEntry): AuditRow => {
    const tail = last.get()
    const row = {
      seq: (tail?.seq ?? 0) + 1,
      at: now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      record_id: entry.recordId ?? null,
      details: canonicalDetails(entry.details),
      prev_hash: tail?.hash ?? GENESIS,
    }
    const hash = hashAuditRow(row)
    insert.run(row.seq, row.at, row.actor, row.action, row.record_id, row.details, row.prev_hash, hash)
    return { ...row, hash }
  })

  return {
    // IMMEDIATE: a deferred transaction that reads the tail and then writes cannot wait for another connection's
    // write (the upload worker's, a test's): SQLite answers SQLITE_BUSY at once instead of using the busy timeout.
    append: (entry) => append.immediate(entry),
    verify() {
      let prev = GENESIS
      let expectedSeq = 1
      let rows = 0
      for (const row of all.iterate()) {
        rows++
        if (row.seq !== expectedSeq) return { ok: false, rows, brokenAt: row.seq, reason: 'gap' }
        if (row.prev_hash !== prev) return { ok: false, rows, brokenAt: row.seq, reason: 'link' }
        const { hash, ...rest } = row
        if (hashAuditRow(rest) !== hash) return { ok: false, rows, brokenAt: row.seq, reason: 'hash' }
        prev = hash
        expectedSeq++
      }
      return { ok: true, rows }
    },
    head: () => last.get() ?? null,
    list(filter = {}) {
      const action = filter.action ?? null
      return page.all(action, action, filter.beforeSeq ?? Number.MAX_SAFE_INTEGER, Math.min(filter.limit ?? 200, 1000))
    },
  }
}

/** A row as the audit screen lists it (`audit.list`), with the receipt number staff know the record by. */
export function auditRowView(r: AuditRow, receiptNo: (recordId: string) => string | null = () => null): AuditRowView {
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, recordId: r.record_id, receiptNo: r.record_id === null ? null : receiptNo(r.record_id), details: r.details }
}

/** The verdict as `audit.verify` answers it: where the chain broke and why, or nulls. */
export function auditVerdictView(verdict: AuditVerdict): { ok: boolean; rows: number; brokenAt: number | null; reason: 'hash' | 'link' | 'gap' | null } {
  return verdict.ok ? { ok: true, rows: verdict.rows, brokenAt: null, reason: null } : { ok: false, rows: verdict.rows, brokenAt: verdict.brokenAt, reason: verdict.reason }
}
