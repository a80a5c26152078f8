import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { columnNames, columns, databaseAt, dump, foreignKeys, indexes, isStrict, migrateTo, openDatabase, PHOTOS, photoRows, populate, schema, schemaChanges, sha } from '../migration-kit'

describe('migration 009 photo uploads', () => {
  it('moves which photos central confirmed into photo_uploads, drops the column, and follows photo deletes', () => {
    const file = join(tempDir(), 'posko.db')
    const v8 = openDatabase(file, { upTo: 8 })
    const insert = v8.prepare(
      `INSERT INTO photos (sha256, kind, verdict, sealed, bytes, created_at, uploaded_at) VALUES (?, 'face', 'pass', x'01', 1, '2026-11-01T00:00:00.000Z', ?)`,
    )
    insert.run('a'.repeat(64), '2026-11-02T00:00:00.000Z')
    insert.run('b'.repeat(64), null)
    v8.close()
    const db = openDatabase(file, { upTo: 9 })
    expect(db.prepare('SELECT sha256, uploaded_at AS at FROM photo_uploads').all()).toEqual([{ sha256: 'a'.repeat(64), at: '2026-11-02T00:00:00.000Z' }])
    expect((db.prepare('PRAGMA table_info(photos)').all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('uploaded_at')
    expect(db.prepare('SELECT count(*) FROM photos').pluck().get()).toBe(2)
    db.prepare('DELETE FROM photos WHERE sha256 = ?').run('a'.repeat(64))
    expect(db.prepare('SELECT count(*) FROM photo_uploads').pluck().get()).toBe(0)
    expect(() => db.prepare("INSERT INTO photo_uploads (sha256, uploaded_at) VALUES ('c', 't')").run()).toThrow(/FOREIGN KEY/)
    db.close()
  })
  it('moves exactly the confirmed photos (a purged one included) to photo_uploads, keeps every photo otherwise as it was, and every other row', () => {
    const at = databaseAt(8)
    populate(at.db, 8)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    expect(before.photos).toEqual(photoRows(8))
    const db = migrateTo(at, 9)
    const confirmed = PHOTOS.filter((p) => p.uploaded_at !== null).map((p) => ({ sha256: p.sha256, uploaded_at: p.uploaded_at }))
    expect(confirmed).toHaveLength(3)
    expect(dump(db)).toEqual({
      ...before,
      photos: before.photos!.map(({ uploaded_at: _dropped, ...rest }) => rest),
      photo_uploads: confirmed,
    })
    expect(dump(db).photos).toEqual(photoRows(9))
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['photo_uploads', 'sqlite_autoindex_photo_uploads_1'], removed: [], changed: ['photos'] })
    expect(columnNames(db, 'photos')).toEqual(['sha256', 'kind', 'verdict', 'sealed', 'bytes', 'record_id', 'created_at', 'purged_at'])
    expect(indexes(db, 'photos').map((i) => i.name)).toEqual(['photos_orphans', 'photos_record'])
    expect(foreignKeys(db, 'photos')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'NO ACTION' }])
    expect(isStrict(db, 'photos')).toBe(true)
    expect(isStrict(db, 'photo_uploads')).toBe(true)
    expect(columns(db, 'photo_uploads')).toEqual([
      { name: 'sha256', type: 'TEXT', notNull: true, default: null, pk: 1 },
      { name: 'uploaded_at', type: 'TEXT', notNull: true, default: null, pk: 0 },
    ])
    expect(foreignKeys(db, 'photo_uploads')).toEqual([{ from: 'sha256', table: 'photos', to: 'sha256', onDelete: 'CASCADE' }])
    db.close()
  })

  it('photos keep their constraints after losing the column; photo_uploads refuses unknown photos, a second mark, a mark without a time', () => {
    const at = databaseAt(8)
    populate(at.db, 8)
    const db = migrateTo(at, 9)
    const photo = db.prepare(
      `INSERT INTO photos (sha256, kind, verdict, sealed, bytes, record_id, created_at, purged_at) VALUES (?, 'face', 'pass', ?, 1000, ?, '2026-11-03T00:00:00.000Z', ?)`,
    )
    expect(() => photo.run(sha('x1'), null, null, null)).toThrow(/CHECK constraint failed/)
    expect(() => photo.run(sha('x2'), Buffer.alloc(8), 'rec-unknown', null)).toThrow(/FOREIGN KEY constraint failed/)
    expect(() => db.prepare("INSERT INTO photos (sha256, kind, verdict, sealed, bytes, created_at, uploaded_at) VALUES ('s', 'face', 'pass', x'01', 1, 't', 't')").run()).toThrow(
      /no column named uploaded_at/,
    )

    const mark = db.prepare('INSERT INTO photo_uploads (sha256, uploaded_at) VALUES (?, ?)')
    expect(() => mark.run(sha('never-stored'), '2026-11-03T00:00:00.000Z')).toThrow(/FOREIGN KEY constraint failed/)
    expect(() => mark.run(sha('card-09'), '2026-11-03T00:00:00.000Z')).toThrow(/UNIQUE constraint failed: photo_uploads.sha256/)
    expect(() => mark.run(sha('retake'), null)).toThrow(/NOT NULL constraint failed: photo_uploads.uploaded_at/)
    // The orphan purge deletes a retake central already had: its mark goes with it, the others stay.
    mark.run(sha('retake'), '2026-11-03T00:00:00.000Z')
    expect(db.prepare('DELETE FROM photos WHERE record_id IS NULL AND created_at < ?').run('2026-11-03T00:00:00.000Z').changes).toBe(1)
    expect(db.prepare('SELECT sha256 FROM photo_uploads ORDER BY rowid').pluck().all()).toEqual([sha('card-09'), sha('face-03'), sha('face-01')])
    db.close()
  })
})
