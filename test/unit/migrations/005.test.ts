import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, foreignKeys, indexes, isStrict, migrateTo, photoRows, populate, schema, schemaChanges, sha, uniqueConstraints } from '../migration-kit'

describe('migration 005 photos', () => {
  it('keeps every row of a version-4 kiosk exactly and adds the STRICT photos table with its record key and indexes', () => {
    const at = databaseAt(4)
    populate(at.db, 4)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 5)
    expect(dump(db)).toEqual({ ...before, photos: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['photos', 'photos_orphans', 'photos_record', 'sqlite_autoindex_photos_1'], removed: [], changed: [] })
    expect(isStrict(db, 'photos')).toBe(true)
    const col = (name: string, type: string, notNull: boolean) => ({ name, type, notNull, default: null, pk: 0 })
    expect(columns(db, 'photos')).toEqual([
      { name: 'sha256', type: 'TEXT', notNull: true, default: null, pk: 1 },
      col('kind', 'TEXT', true),
      col('verdict', 'TEXT', true),
      col('sealed', 'BLOB', false),
      col('bytes', 'INTEGER', true),
      col('record_id', 'TEXT', false),
      col('created_at', 'TEXT', true),
      col('uploaded_at', 'TEXT', false),
      col('purged_at', 'TEXT', false),
    ])
    expect(uniqueConstraints(db, 'photos')).toEqual([['sha256']])
    // No ON DELETE: a record cannot be deleted from under its photos (retention purges, it does not delete).
    expect(foreignKeys(db, 'photos')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'NO ACTION' }])
    expect(indexes(db, 'photos')).toEqual([
      { name: 'photos_orphans', columns: ['created_at'], unique: false, partial: true },
      { name: 'photos_record', columns: ['record_id'], unique: false, partial: false },
    ])
    db.close()
  })

  it('stores linked, orphaned, uploaded and purged photos; the orphan index holds only unclaimed ones', () => {
    const db = migrateTo(databaseAt(4), 5)
    populate(db, 5)
    expect(dump(db).photos).toEqual(photoRows(5))
    // The orphan purge's question, answered from the partial index: only photos no record claimed are in it.
    const orphans = 'SELECT sha256 FROM photos INDEXED BY photos_orphans WHERE record_id IS NULL AND created_at < ? ORDER BY created_at'
    expect(db.prepare(orphans).pluck().all('2026-11-03T00:00:00.000Z')).toEqual([sha('retake')])
    expect(() => db.prepare('SELECT sha256 FROM photos INDEXED BY photos_orphans WHERE created_at < ?').all('x')).toThrow(/no query solution/)
    expect(db.prepare('SELECT sha256 FROM photos INDEXED BY photos_record WHERE record_id = ? ORDER BY sha256').pluck().all('rec-09-queued')).toEqual(
      [sha('face-09'), sha('card-09')].sort(),
    )
    db.close()
  })

  it('refuses unknown kinds and verdicts, a photo both stored and purged (or neither), an unknown record, deleting a record that has photos', () => {
    const db = migrateTo(databaseAt(4), 5)
    populate(db, 5)
    const insert = db.prepare(
      `INSERT INTO photos (sha256, kind, verdict, sealed, bytes, record_id, created_at, purged_at) VALUES (?, ?, ?, ?, 30000, ?, '2026-11-03T00:00:00.000Z', ?)`,
    )
    const jpeg = Buffer.alloc(64, 1)
    insert.run(sha('ok'), 'card', 'pass', jpeg, 'rec-08-retry', null)
    expect(() => insert.run(sha('x1'), 'selfie', 'pass', jpeg, null, null)).toThrow(/CHECK constraint failed: kind IN/)
    expect(() => insert.run(sha('x2'), 'face', 'maybe', jpeg, null, null)).toThrow(/CHECK constraint failed: verdict IN/)
    expect(() => insert.run(sha('x3'), 'face', 'pass', null, null, null)).toThrow(/CHECK constraint failed: \(purged_at IS NULL\) = \(sealed IS NOT NULL\)/)
    expect(() => insert.run(sha('x4'), 'face', 'pass', jpeg, null, '2026-11-03T00:00:00.000Z')).toThrow(/CHECK constraint failed/)
    expect(() => insert.run(sha('x5'), 'face', 'pass', jpeg, 'rec-unknown', null)).toThrow(/FOREIGN KEY constraint failed/)
    expect(() => insert.run(sha('ok'), 'face', 'pass', jpeg, null, null)).toThrow(/UNIQUE constraint failed: photos.sha256/)
    expect(() => db.prepare("DELETE FROM registrations WHERE id = 'rec-09-queued'").run()).toThrow(/FOREIGN KEY constraint failed/)
    expect(db.prepare('SELECT count(*) FROM photos').pluck().get()).toBe(photoRows(5).length + 1)
    db.close()
  })
})
