import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createAuditLog, hashAuditRow } from '../../main/services/store/audit'
import { openDatabase } from '../../main/services/store/db'
import { tempDir } from './helpers'

function setup() {
  const file = join(tempDir(), 'posko.db')
  const db = openDatabase(file)
  let t = Date.UTC(2026, 10, 25, 8)
  const log = createAuditLog(db, () => new Date((t += 1000)))
  for (const action of ['sign_in', 'register', 'view', 'edit', 'sign_out'] as const) {
    log.append({ actor: 'op-1', action, recordId: action === 'sign_in' || action === 'sign_out' ? null : 'rec-1', details: { b: 1, a: 'x' } })
  }
  return { file, db, log }
}

describe('audit log', () => {
  it('chains every row to the previous one and verifies clean', () => {
    const { log, db } = setup()
    expect(log.verify()).toEqual({ ok: true, rows: 5 })
    const rows = log.list().reverse()
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash)
    expect(rows[0]!.details).toBe('{"a":"x","b":1}')
    db.close()
  })

  it('refuses updates and deletes from the app connection', () => {
    const { db } = setup()
    expect(() => db.prepare("UPDATE audit SET actor = 'x' WHERE seq = 2").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 2').run()).toThrow(/append-only/)
    // A REPLACE is a delete and an insert: refused too (the migration tests found it slipping past the triggers).
    expect(() =>
      db.prepare("INSERT OR REPLACE INTO audit (seq, at, actor, action, record_id, details, prev_hash, hash) SELECT seq, at, 'x', action, record_id, details, prev_hash, hash FROM audit WHERE seq = 2").run(),
    ).toThrow(/append-only/)
    expect(db.prepare('SELECT actor FROM audit WHERE seq = 2').pluck().get()).toBe('op-1')
    db.close()
  })

  it('finds a row edited behind its back, at that row', () => {
    const { file, db, log } = setup()
    db.close()
    // Someone with the file drops the trigger and edits row 3 directly.
    const raw = new Database(file)
    raw.exec('DROP TRIGGER audit_no_update')
    raw.prepare("UPDATE audit SET actor = 'op-2' WHERE seq = 3").run()
    raw.close()
    const reopened = openDatabase(file)
    expect(createAuditLog(reopened, () => new Date()).verify()).toEqual({ ok: false, rows: 3, brokenAt: 3, reason: 'hash' })
    reopened.close()
    void log
  })

  it('finds an edit whose hash was recomputed as a broken link at the next row', () => {
    const { file, db } = setup()
    db.close()
    const raw = new Database(file)
    raw.exec('DROP TRIGGER audit_no_update')
    const row = raw.prepare('SELECT * FROM audit WHERE seq = 2').get() as Parameters<typeof hashAuditRow>[0]
    const forged = { ...row, actor: 'op-9' }
    raw.prepare('UPDATE audit SET actor = ?, hash = ? WHERE seq = 2').run('op-9', hashAuditRow(forged))
    raw.close()
    const reopened = openDatabase(file)
    expect(createAuditLog(reopened, () => new Date()).verify()).toEqual({ ok: false, rows: 3, brokenAt: 3, reason: 'link' })
    reopened.close()
  })

  it('finds a deleted row as a gap', () => {
    const { file, db } = setup()
    db.close()
    const raw = new Database(file)
    raw.exec('DROP TRIGGER audit_no_delete')
    raw.prepare('DELETE FROM audit WHERE seq = 2').run()
    raw.close()
    const reopened = openDatabase(file)
    expect(createAuditLog(reopened, () => new Date()).verify()).toMatchObject({ ok: false, brokenAt: 3, reason: 'gap' })
    reopened.close()
  })
})
