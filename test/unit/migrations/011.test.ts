import { describe, expect, it } from 'vitest'
import { columnNames, databaseAt, dump, foreignKeys, indexes, isStrict, migrateTo, populate, schema, schemaChanges, sealedBlob, sha } from '../migration-kit'

describe('migration 011 drafts', () => {
  it('keeps every row of a version-10 kiosk exactly and adds the two empty tables of parked drafts', () => {
    const at = databaseAt(10)
    populate(at.db, 10)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 11)
    expect(dump(db)).toEqual({ ...before, drafts: [], draft_photos: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: ['draft_photos', 'draft_photos_photo', 'drafts', 'drafts_expiry', 'sqlite_autoindex_draft_photos_1', 'sqlite_autoindex_drafts_1', 'sqlite_autoindex_drafts_2'],
      removed: [],
      changed: [],
    })
    expect(columnNames(db, 'drafts')).toEqual(['id', 'number', 'sealed', 'step', 'operator_id', 'parked_at', 'expires_at'])
    expect(isStrict(db, 'drafts') && isStrict(db, 'draft_photos')).toBe(true)
    expect(foreignKeys(db, 'draft_photos')).toEqual([
      { from: 'sha256', table: 'photos', to: 'sha256', onDelete: 'NO ACTION' },
      { from: 'draft_id', table: 'drafts', to: 'id', onDelete: 'CASCADE' },
    ])
    expect(indexes(db, 'drafts').map((i) => i.name)).toEqual(['drafts_expiry'])
    db.close()
  })

  it('a draft holds only stored photos, numbers are unique, and its holds go with it', () => {
    const at = databaseAt(10)
    populate(at.db, 10)
    const db = migrateTo(at, 11)
    const park = db.prepare("INSERT INTO drafts (id, number, sealed, step, operator_id, parked_at, expires_at) VALUES (?, ?, ?, 'nik', 'op-ops', '2026-11-02T03:00:00.000Z', '2026-11-02T17:00:00.000Z')")
    park.run('draft-1', 1, sealedBlob('draft-1'))
    expect(() => park.run('draft-2', 1, sealedBlob('draft-2'))).toThrow(/UNIQUE constraint failed: drafts.number/)
    expect(() => park.run('draft-0', 0, sealedBlob('draft-0'))).toThrow(/CHECK constraint failed/)
    const hold = db.prepare('INSERT INTO draft_photos (draft_id, sha256) VALUES (?, ?)')
    hold.run('draft-1', sha('retake'))
    expect(() => hold.run('draft-1', sha('never-stored'))).toThrow(/FOREIGN KEY constraint failed/)
    // A held photo can't be deleted from under its draft; deleting the draft releases it.
    expect(() => db.prepare('DELETE FROM photos WHERE sha256 = ?').run(sha('retake'))).toThrow(/FOREIGN KEY constraint failed/)
    db.prepare("DELETE FROM drafts WHERE id = 'draft-1'").run()
    expect(db.prepare('SELECT count(*) FROM draft_photos').pluck().get()).toBe(0)
    db.close()
  })
})
