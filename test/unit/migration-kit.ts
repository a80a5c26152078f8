import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { expect } from 'vitest'
import { createAuditLog, hashAuditRow } from '../../main/services/store/audit'
import { openDatabase, schemaVersion, type Db } from '../../main/services/store/db'
import { migrations } from '../../main/services/store/migrations'
import { tempDir } from './helpers'

/**
 * Migration tests (test/unit/migrations/NNN.test.ts), Signal-Desktop style: a real database file at version N-1
 * with realistic rows in every table it has, migration N alone, then the rows, the schema and the new constraints.
 * This is the one file that names the store's modules, so if main/services/store moves only these imports change.
 * The runner is the app's own: openDatabase(file, { upTo }) → migrate(); no migration SQL is copied here, only
 * fixture INSERTs written for the schema of the version they fill.
 */
export { createAuditLog, openDatabase, schemaVersion, type Db }
export const LATEST = migrations.length

export interface AtVersion {
  file: string
  db: Db
}

/** A fresh database file brought to `version` by the app's runner (0: an empty file, no migration applied). */
export function databaseAt(version: number): AtVersion {
  const file = join(tempDir('posko-migration-'), 'posko.db')
  const db = openDatabase(file, { upTo: version })
  expect(schemaVersion(db)).toBe(version)
  return { file, db }
}

/**
 * Applies migration `version` alone, as the app would at start-up: the connection at `version - 1` is closed and
 * the file reopened through openDatabase. The result passes SQLite's integrity and foreign-key checks.
 */
export function migrateTo(at: AtVersion, version: number): Db {
  expect(migrations[version - 1]?.version).toBe(version)
  expect(schemaVersion(at.db)).toBe(version - 1)
  at.db.close()
  const db = openDatabase(at.file, { upTo: version })
  expect(schemaVersion(db)).toBe(version)
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  expect(db.pragma('foreign_key_check')).toEqual([])
  return db
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the schema back

export interface Column {
  name: string
  type: string
  notNull: boolean
  default: string | null
  pk: number
}

/** Columns in declaration order (pragma table_xinfo). */
export function columns(db: Db, table: string): Column[] {
  const rows = db.pragma(`table_xinfo(${table})`) as Array<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>
  return rows.map((c) => ({ name: c.name, type: c.type, notNull: c.notnull === 1, default: c.dflt_value, pk: c.pk }))
}

export function columnNames(db: Db, table: string): string[] {
  return columns(db, table).map((c) => c.name)
}

export interface Index {
  name: string
  columns: string[]
  unique: boolean
  partial: boolean
}

/** Explicitly created indexes of a table (not the automatic ones behind PRIMARY KEY / UNIQUE), by name. */
export function indexes(db: Db, table: string): Index[] {
  const list = db.pragma(`index_list(${table})`) as Array<{ name: string; unique: number; origin: string; partial: number }>
  return list
    .filter((i) => i.origin === 'c')
    .map((i) => ({
      name: i.name,
      columns: (db.pragma(`index_info(${i.name})`) as Array<{ seqno: number; name: string }>).sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
      unique: i.unique === 1,
      partial: i.partial === 1,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** Columns covered by the table's UNIQUE / PRIMARY KEY constraints (the automatic indexes). */
export function uniqueConstraints(db: Db, table: string): string[][] {
  const list = db.pragma(`index_list(${table})`) as Array<{ name: string; unique: number; origin: string }>
  return list
    .filter((i) => i.origin !== 'c' && i.unique === 1)
    .map((i) => (db.pragma(`index_info(${i.name})`) as Array<{ name: string }>).map((c) => c.name))
    .sort((a, b) => (a.join() < b.join() ? -1 : 1))
}

export interface ForeignKey {
  from: string
  table: string
  to: string
  onDelete: string
}

export function foreignKeys(db: Db, table: string): ForeignKey[] {
  const rows = db.pragma(`foreign_key_list(${table})`) as Array<{ from: string; table: string; to: string; on_delete: string }>
  return rows.map((f) => ({ from: f.from, table: f.table, to: f.to, onDelete: f.on_delete }))
}

export function isStrict(db: Db, table: string): boolean {
  const [row] = db.pragma(`table_list(${table})`) as Array<{ strict: number }>
  return row?.strict === 1
}

/** Names of the triggers on a table. */
export function triggers(db: Db, table: string): string[] {
  return db.prepare<[string], string>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name").pluck().all(table)
}

/** Every schema object (tables, indexes including automatic ones, triggers) by name → its type and SQL. */
export type Schema = Record<string, { type: string; table: string; sql: string | null }>

export function schema(db: Db): Schema {
  const rows = db.prepare<[], { type: string; name: string; tbl_name: string; sql: string | null }>('SELECT type, name, tbl_name, sql FROM sqlite_master').all()
  return Object.fromEntries(rows.map((r) => [r.name, { type: r.type, table: r.tbl_name, sql: r.sql }]))
}

/** What a migration did to the schema: objects added, removed, and objects whose definition changed, by name. */
export function schemaChanges(before: Schema, after: Schema): { added: string[]; removed: string[]; changed: string[] } {
  const names = (s: Schema) => Object.keys(s).sort()
  return {
    added: names(after).filter((n) => !(n in before)),
    removed: names(before).filter((n) => !(n in after)),
    changed: names(after).filter((n) => n in before && JSON.stringify(before[n]) !== JSON.stringify(after[n])),
  }
}

/** The query plan's steps, to check a query is served by an index and needs no sort. */
export function queryPlan(db: Db, sql: string, ...params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail)
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the data back

export type Row = Record<string, unknown>

/** Every row of every table, in rowid order (WITHOUT ROWID tables, from migration 012: in primary-key order). */
export function dump(db: Db): Record<string, Row[]> {
  const tables = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
  return Object.fromEntries(
    tables.map(({ name, sql }) => {
      const keys = db.prepare<[string], string>('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(name)
      const order = /WITHOUT ROWID/i.test(sql) ? keys.map((k) => `"${k}"`).join(', ') : 'rowid'
      return [name, db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).all() as Row[]]
    }),
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture data: what a kiosk that has been in use holds, with the edge cases the migrations meet

const bytes = (label: string, length: number) => {
  const out = Buffer.alloc(length)
  for (let i = 0, block = 0; i < length; block++) i += createHash('sha256').update(`${label}:${block}`).digest().copy(out, i)
  return out
}
export const nikHmac = (id: string) => bytes(`nik:${id}`, 32)
export const sealedBlob = (label: string, length = 700) => bytes(`sealed:${label}`, length)
export const sha = (label: string) => createHash('sha256').update(`jpeg:${label}`).digest('hex')

export const POST = 'JT-3578-01'

export const SETTINGS = [
  { key: 'language', value: 'id', updated_at: '2026-10-30T02:00:00.000Z' },
  { key: 'mode', value: 'self-service', updated_at: '2026-10-30T02:05:00.000Z' },
  { key: 'lastSyncAt', value: '2026-11-02T09:41:07.512Z', updated_at: '2026-11-02T09:41:07.512Z' },
  { key: 'enrolment', value: JSON.stringify({ kioskId: 'K-0042', sealedToken: 'AAECAw==', sealedKioskKey: 'BAUGBw==' }), updated_at: '2026-10-30T01:58:12.000Z' },
]

type State = 'queued' | 'uploading' | 'accepted' | 'duplicate' | 'rejected' | 'exported' | 'purged'
interface RegistrationFixture {
  id: string
  seq: number
  state: State
  operator: string | null
  selfService?: 1
  photoOverride?: 1
  created: string
  updated?: string
  centralId?: string
  rejection?: string
  acceptedAt?: string
  purgedAt?: string
}

/** Records in every state: a held self-service one with no operator, a retried batch, two purged (NULL NIK twice). */
export const REGISTRATIONS: RegistrationFixture[] = [
  { id: 'rec-01-purged', seq: 1, state: 'purged', operator: 'op-sup', photoOverride: 1, created: '2026-10-01T03:00:00.000Z', centralId: 'C-1001', acceptedAt: '2026-10-01T04:00:00.000Z', purgedAt: '2026-11-01T00:00:00.000Z' },
  { id: 'rec-02-purged', seq: 2, state: 'purged', operator: 'op-ops', created: '2026-10-01T03:10:00.000Z', centralId: 'C-1002', acceptedAt: '2026-10-01T04:00:00.000Z', purgedAt: '2026-11-01T00:00:00.000Z' },
  { id: 'rec-03-accepted', seq: 1, state: 'accepted', operator: 'op-ops', created: '2026-11-01T02:00:00.000Z', centralId: 'C-2001', acceptedAt: '2026-11-01T05:00:00.000Z' },
  { id: 'rec-04-duplicate', seq: 2, state: 'duplicate', operator: 'op-ops', created: '2026-11-01T02:30:00.000Z', centralId: 'C-0917', acceptedAt: '2026-11-01T05:00:00.000Z' },
  { id: 'rec-05-rejected', seq: 3, state: 'rejected', operator: 'op-sup', created: '2026-11-01T03:00:00.000Z', rejection: JSON.stringify([{ path: ['birthDate'], message: 'in the future' }]) },
  { id: 'rec-06-exported', seq: 4, state: 'exported', operator: 'op-ops', created: '2026-11-01T08:00:00.000Z', updated: '2026-11-02T06:00:00.000Z' },
  { id: 'rec-07-uploading', seq: 1, state: 'uploading', operator: 'op-ops', created: '2026-11-02T01:30:00.000Z' },
  { id: 'rec-08-retry', seq: 2, state: 'queued', operator: 'op-sup', created: '2026-11-02T02:00:00.000Z' },
  { id: 'rec-09-queued', seq: 3, state: 'queued', operator: 'op-ops', created: '2026-11-02T02:30:00.000Z' },
  { id: 'rec-10-self', seq: 4, state: 'queued', operator: null, selfService: 1, created: '2026-11-02T03:00:00.000Z' },
]

export const STATE_COUNTS = { accepted: 1, duplicate: 1, exported: 1, purged: 2, queued: 3, rejected: 1, uploading: 1 }

/** Outbox rows: fresh ones (two enqueued in the same millisecond), one in flight, one retried after a 503. */
export const OUTBOX = [
  { record_id: 'rec-06-exported', enqueued_at: '2026-11-02T02:30:00.000Z', attempts: 0, next_attempt_at: null, batch_id: null, last_error: null },
  { record_id: 'rec-07-uploading', enqueued_at: '2026-11-02T01:30:00.000Z', attempts: 1, next_attempt_at: null, batch_id: 'batch-b', last_error: null },
  { record_id: 'rec-08-retry', enqueued_at: '2026-11-02T02:00:00.000Z', attempts: 3, next_attempt_at: '2026-11-02T09:50:00.000Z', batch_id: 'batch-a', last_error: 'HTTP 503' },
  { record_id: 'rec-09-queued', enqueued_at: '2026-11-02T02:30:00.000Z', attempts: 0, next_attempt_at: null, batch_id: null, last_error: null },
  { record_id: 'rec-10-self', enqueued_at: '2026-11-02T03:00:00.000Z', attempts: 0, next_attempt_at: null, batch_id: null, last_error: null },
]
/** From version 7 the self-service record waits for review. */
export const HELD = ['rec-10-self']

export const RECEIPT_SEQUENCE = [
  { day: '261001', last: 2 },
  { day: '261101', last: 4 },
  { day: '261102', last: 4 },
]

const auditRows = () => {
  const entries: Array<{ at: string; actor: string | null; action: string; record_id: string | null; details: string }> = [
    { at: '2026-11-02T01:00:00.000Z', actor: 'op-ops', action: 'sign_in', record_id: null, details: '{}' },
    { at: '2026-11-02T02:30:00.000Z', actor: 'op-ops', action: 'register', record_id: 'rec-09-queued', details: '{"photos":2}' },
    { at: '2026-11-02T04:00:00.000Z', actor: null, action: 'lockout', record_id: null, details: '{"operator":"op-ops"}' },
    { at: '2026-11-02T05:00:00.000Z', actor: null, action: 'purge', record_id: null, details: '{"photos":1,"records":2}' },
  ]
  let prev = '0'.repeat(64)
  return entries.map((e, i) => {
    const row = { seq: i + 1, ...e, prev_hash: prev }
    prev = hashAuditRow(row)
    return { ...row, hash: prev }
  })
}
export const AUDIT = auditRows()

/** A supervisor, a locked-out operator and a deactivated IT account. */
export const OPERATORS = [
  { id: 'op-sup', name: 'Siti Rahmawati', role: 'supervisor', failed_attempts: 0, last_failure_at: null, locked: 0, active: 1 },
  { id: 'op-ops', name: 'Budi Santoso', role: 'operator', failed_attempts: 5, last_failure_at: '2026-11-02T04:00:00.000Z', locked: 1, active: 1 },
  { id: 'op-it', name: 'Teknisi Dinas', role: 'it', failed_attempts: 2, last_failure_at: '2026-11-01T08:00:00.000Z', locked: 0, active: 0 },
]

/**
 * Photos: confirmed by central and not, linked and orphaned (a retake), a failed verdict, one purged with its
 * record after central confirmed it (sealed NULL, still marked uploaded), one purged before it ever went up.
 */
export const PHOTOS = [
  { sha256: sha('face-09'), kind: 'face', verdict: 'pass', purged: false, bytes: 31_204, record_id: 'rec-09-queued', created_at: '2026-11-02T02:25:00.000Z', uploaded_at: null },
  { sha256: sha('card-09'), kind: 'card', verdict: 'pass', purged: false, bytes: 44_870, record_id: 'rec-09-queued', created_at: '2026-11-02T02:26:00.000Z', uploaded_at: '2026-11-02T09:40:00.000Z' },
  { sha256: sha('face-03'), kind: 'face', verdict: 'pass', purged: false, bytes: 29_999, record_id: 'rec-03-accepted', created_at: '2026-11-01T01:58:00.000Z', uploaded_at: '2026-11-01T04:59:59.999Z' },
  { sha256: sha('face-01'), kind: 'face', verdict: 'fail', purged: true, bytes: 30_512, record_id: 'rec-01-purged', created_at: '2026-10-01T02:59:00.000Z', uploaded_at: '2026-10-01T03:59:00.000Z' },
  { sha256: sha('card-02'), kind: 'card', verdict: 'pass', purged: true, bytes: 41_002, record_id: 'rec-02-purged', created_at: '2026-10-01T03:09:00.000Z', uploaded_at: null },
  { sha256: sha('retake'), kind: 'face', verdict: 'fail', purged: false, bytes: 28_000, record_id: null, created_at: '2026-11-02T02:24:00.000Z', uploaded_at: null },
  { sha256: sha('face-10'), kind: 'face', verdict: 'pass', purged: false, bytes: 33_333, record_id: 'rec-10-self', created_at: '2026-11-02T02:59:00.000Z', uploaded_at: null },
]
const PHOTO_PURGED_AT = '2026-11-01T00:00:00.000Z'

/** The photos rows as stored at `version` (from 9 without uploaded_at). */
export function photoRows(version: number): Row[] {
  return PHOTOS.map((p) => ({
    sha256: p.sha256,
    kind: p.kind,
    verdict: p.verdict,
    sealed: p.purged ? null : sealedBlob(`photo:${p.sha256}`, 2_000),
    bytes: p.bytes,
    record_id: p.record_id,
    created_at: p.created_at,
    ...(version < 9 ? { uploaded_at: p.uploaded_at } : {}),
    purged_at: p.purged ? PHOTO_PURGED_AT : null,
  }))
}

/**
 * Fills every table that exists at `version` (0..LATEST) with the fixtures above, using the schema of that version.
 * Tables kept by triggers (state_counts) fill themselves.
 */
export function populate(db: Db, version: number): void {
  expect(schemaVersion(db)).toBe(version)
  const fill = db.transaction(() => {
    if (version >= 1) {
      const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
      for (const s of SETTINGS) insert.run(s.key, s.value, s.updated_at)
    }
    if (version >= 2) {
      const insert = db.prepare(
        `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at,
                                    central_id, rejection, accepted_at, purged_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const r of REGISTRATIONS) {
        const purged = r.state === 'purged'
        const day = r.created.slice(2, 10).replaceAll('-', '')
        insert.run(
          r.id,
          `${POST}-${day}-${String(r.seq).padStart(4, '0')}`,
          r.state,
          purged ? null : nikHmac(r.id),
          purged ? null : sealedBlob(`record:${r.id}`),
          POST,
          r.operator,
          r.selfService ?? 0,
          r.photoOverride ?? 0,
          r.created,
          r.updated ?? r.acceptedAt ?? r.created,
          r.centralId ?? null,
          r.rejection ?? null,
          r.acceptedAt ?? null,
          r.purgedAt ?? null,
        )
      }
      const outbox =
        version >= 7
          ? db.prepare('INSERT INTO outbox (record_id, enqueued_at, attempts, next_attempt_at, batch_id, last_error, held) VALUES (?, ?, ?, ?, ?, ?, ?)')
          : db.prepare('INSERT INTO outbox (record_id, enqueued_at, attempts, next_attempt_at, batch_id, last_error) VALUES (?, ?, ?, ?, ?, ?)')
      for (const o of OUTBOX) {
        const values = [o.record_id, o.enqueued_at, o.attempts, o.next_attempt_at, o.batch_id, o.last_error]
        outbox.run(...(version >= 7 ? [...values, HELD.includes(o.record_id) ? 1 : 0] : values))
      }
      const sequence = db.prepare('INSERT INTO receipt_sequence (day, last) VALUES (?, ?)')
      for (const s of RECEIPT_SEQUENCE) sequence.run(s.day, s.last)
    }
    if (version >= 3) {
      const insert = db.prepare('INSERT INTO audit (seq, at, actor, action, record_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      for (const a of AUDIT) insert.run(a.seq, a.at, a.actor, a.action, a.record_id, a.details, a.prev_hash, a.hash)
    }
    if (version >= 4) {
      const insert = db.prepare(
        `INSERT INTO operators (id, name, role, pin_hash, pin_salt, pin_params, failed_attempts, last_failure_at, locked, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const o of OPERATORS) {
        insert.run(o.id, o.name, o.role, bytes(`pin:${o.id}`, 32), bytes(`salt:${o.id}`, 16), '{"N":16384,"r":8,"p":1}', o.failed_attempts, o.last_failure_at, o.locked, o.active, '2026-10-30T02:00:00.000Z', o.last_failure_at ?? '2026-10-30T02:00:00.000Z')
      }
    }
    if (version >= 5) {
      const rows = photoRows(version)
      const cols = Object.keys(rows[0]!)
      const insert = db.prepare(`INSERT INTO photos (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      for (const row of rows) insert.run(...Object.values(row))
    }
    if (version >= 9) {
      const insert = db.prepare('INSERT INTO photo_uploads (sha256, uploaded_at) VALUES (?, ?)')
      for (const p of PHOTOS) if (p.uploaded_at !== null) insert.run(p.sha256, p.uploaded_at)
    }
  })
  fill()
}
