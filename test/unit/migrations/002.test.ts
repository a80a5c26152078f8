import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSettingsRepository } from '../../../main/services/store/settings'
import { tempDir } from '../helpers'
import {
  columns,
  databaseAt,
  dump,
  foreignKeys,
  indexes,
  isStrict,
  migrateTo,
  openDatabase,
  OUTBOX,
  populate,
  RECEIPT_SEQUENCE,
  REGISTRATIONS,
  schema,
  schemaChanges,
  schemaVersion,
  SETTINGS,
  uniqueConstraints,
} from '../migration-kit'

/** Each migration: open a database at the previous version with data in it, migrate, check the data survived. */
describe('migration 002 registrations', () => {
  it('adds registrations, outbox and receipt_sequence to a version-1 database without touching settings', () => {
    const file = join(tempDir(), 'posko.db')
    const v1 = openDatabase(file, { upTo: 1 })
    createSettingsRepository(v1).set('language', 'en', new Date())
    v1.close()
    const db = openDatabase(file, { upTo: 2 })
    expect(schemaVersion(db)).toBe(2)
    expect(createSettingsRepository(db).get('language')).toBe('en')
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
    expect(tables).toEqual([{ name: 'outbox' }, { name: 'receipt_sequence' }, { name: 'registrations' }, { name: 'settings' }])
    db.close()
  })

  it('enforces: personal data present unless purged, one non-purged record per NIK, outbox rows need a record', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'), { upTo: 2 })
    const insert = db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'P', 't', 't')`,
    )
    const h = Buffer.from('h1')
    insert.run('a', 'R1', 'queued', h, Buffer.from('s'))
    expect(() => insert.run('b', 'R2', 'queued', h, Buffer.from('s'))).toThrow(/UNIQUE/)
    expect(() => insert.run('c', 'R3', 'queued', Buffer.from('h3'), null)).toThrow(/CHECK/)
    expect(() => insert.run('d', 'R4', 'purged', null, Buffer.from('s'))).toThrow(/CHECK/)
    insert.run('e', 'R5', 'purged', null, null)
    insert.run('f', 'R6', 'purged', null, null)
    expect(() => db.prepare("INSERT INTO outbox (record_id, enqueued_at) VALUES ('nope', 't')").run()).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('keeps every setting of a version-1 kiosk exactly and adds the three STRICT tables with their keys and indexes', () => {
    const at = databaseAt(1)
    populate(at.db, 1)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    expect(before).toEqual({ settings: SETTINGS })
    const db = migrateTo(at, 2)
    expect(dump(db)).toEqual({ settings: SETTINGS, registrations: [], outbox: [], receipt_sequence: [] })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: [
        'outbox',
        'outbox_batch',
        'receipt_sequence',
        'registrations',
        'registrations_created',
        'registrations_nik',
        'registrations_state',
        'sqlite_autoindex_outbox_1',
        'sqlite_autoindex_receipt_sequence_1',
        'sqlite_autoindex_registrations_1',
        'sqlite_autoindex_registrations_2',
      ],
      removed: [],
      changed: [],
    })
    for (const table of ['registrations', 'outbox', 'receipt_sequence']) expect(isStrict(db, table)).toBe(true)

    const text = (name: string, notNull = false) => ({ name, type: 'TEXT', notNull, default: null, pk: 0 })
    const blob = (name: string) => ({ name, type: 'BLOB', notNull: false, default: null, pk: 0 })
    expect(columns(db, 'registrations')).toEqual([
      { name: 'id', type: 'TEXT', notNull: true, default: null, pk: 1 },
      text('receipt_no', true),
      text('state', true),
      blob('nik_hmac'),
      blob('sealed'),
      text('post_id', true),
      text('operator_id'),
      { name: 'self_service', type: 'INTEGER', notNull: true, default: '0', pk: 0 },
      { name: 'photo_override', type: 'INTEGER', notNull: true, default: '0', pk: 0 },
      text('created_at', true),
      text('updated_at', true),
      text('central_id'),
      text('rejection'),
      text('accepted_at'),
      text('purged_at'),
    ])
    expect(uniqueConstraints(db, 'registrations')).toEqual([['id'], ['receipt_no']])
    expect(indexes(db, 'registrations')).toEqual([
      { name: 'registrations_created', columns: ['created_at'], unique: false, partial: false },
      { name: 'registrations_nik', columns: ['nik_hmac'], unique: true, partial: true },
      { name: 'registrations_state', columns: ['state'], unique: false, partial: false },
    ])
    expect(columns(db, 'outbox')).toEqual([
      { name: 'record_id', type: 'TEXT', notNull: true, default: null, pk: 1 },
      text('enqueued_at', true),
      { name: 'attempts', type: 'INTEGER', notNull: true, default: '0', pk: 0 },
      text('next_attempt_at'),
      text('batch_id'),
      text('last_error'),
    ])
    expect(foreignKeys(db, 'outbox')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'CASCADE' }])
    expect(indexes(db, 'outbox')).toEqual([{ name: 'outbox_batch', columns: ['batch_id'], unique: false, partial: false }])
    expect(columns(db, 'receipt_sequence')).toEqual([
      { name: 'day', type: 'TEXT', notNull: true, default: null, pk: 1 },
      { name: 'last', type: 'INTEGER', notNull: true, default: null, pk: 0 },
    ])
    db.close()
  })

  it('holds records in every state (purged ones without personal data), their outbox rows and receipt days', () => {
    const db = migrateTo(databaseAt(1), 2)
    populate(db, 2)
    const rows = dump(db)
    expect(rows.registrations!.map((r) => [r.id, r.state, r.nik_hmac === null, r.sealed === null, r.operator_id])).toEqual(
      REGISTRATIONS.map((r) => [r.id, r.state, r.state === 'purged', r.state === 'purged', r.operator]),
    )
    expect(rows.outbox).toEqual(OUTBOX)
    expect(rows.receipt_sequence).toEqual(RECEIPT_SEQUENCE)
    const defaults = db.prepare('SELECT self_service, photo_override FROM registrations WHERE id = ?')
    expect(defaults.get('rec-09-queued')).toEqual({ self_service: 0, photo_override: 0 })
    expect(defaults.get('rec-10-self')).toEqual({ self_service: 1, photo_override: 0 })
    expect(db.prepare("SELECT attempts FROM outbox WHERE record_id = 'rec-09-queued'").pluck().get()).toBe(0)
    db.close()
  })

  it('refuses unknown states, non-boolean flags, a reused receipt number, a record reused in the outbox; a deleted record takes its outbox row', () => {
    const db = migrateTo(databaseAt(1), 2)
    populate(db, 2)
    const insert = db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, self_service, photo_override, created_at, updated_at)
       VALUES (?, ?, ?, ?, x'01', 'JT-3578-01', ?, ?, '2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z')`,
    )
    expect(() => insert.run('new-1', 'R-new-1', 'deleted', Buffer.from('n1'), 0, 0)).toThrow(/CHECK constraint failed: state IN/)
    expect(() => insert.run('new-2', 'R-new-2', 'queued', Buffer.from('n2'), 2, 0)).toThrow(/CHECK constraint failed: self_service IN/)
    expect(() => insert.run('new-3', 'R-new-3', 'queued', Buffer.from('n3'), 0, 2)).toThrow(/CHECK constraint failed: photo_override IN/)
    expect(() => insert.run('new-4', 'JT-3578-01-261102-0003', 'queued', Buffer.from('n4'), 0, 0)).toThrow(/UNIQUE constraint failed: registrations.receipt_no/)
    expect(() => insert.run('rec-09-queued', 'R-new-5', 'queued', Buffer.from('n5'), 0, 0)).toThrow(/UNIQUE constraint failed: registrations.id/)
    expect(() => insert.run('new-6', 'R-new-6', 'queued', 'not-a-blob', 0, 0)).toThrow(/cannot store TEXT value in BLOB column registrations.nik_hmac/)
    expect(() => db.prepare("INSERT INTO outbox (record_id, enqueued_at) VALUES ('rec-09-queued', 't')").run()).toThrow(/UNIQUE constraint failed: outbox.record_id/)
    expect(() => db.prepare("INSERT INTO receipt_sequence (day, last) VALUES ('261102', 9)").run()).toThrow(/UNIQUE constraint failed: receipt_sequence.day/)
    db.prepare("DELETE FROM registrations WHERE id = 'rec-09-queued'").run()
    expect(db.prepare('SELECT record_id FROM outbox ORDER BY record_id').pluck().all()).toEqual(
      OUTBOX.map((o) => o.record_id).filter((id) => id !== 'rec-09-queued'),
    )
    db.close()
  })
})
