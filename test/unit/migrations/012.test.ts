import { describe, expect, it } from 'vitest'
import { columns, databaseAt, dump, foreignKeys, indexes, LATEST, migrateTo, populate, REGISTRATIONS, schema, schemaChanges, triggers } from '../migration-kit'

/** Migration 012 (issue 19): the keyed search index and the backlog of records to index on first open. */
const VERSION = 12

describe('migration 012 search index', () => {
  it('keeps every row, adds the two tables, and puts every sealed record (none purged) on the backlog', () => {
    const at = databaseAt(VERSION - 1)
    populate(at.db, VERSION - 1)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, VERSION)
    const after = dump(db)
    const sealed = REGISTRATIONS.filter((r) => r.state !== 'purged').map((r) => ({ record_id: r.id }))
    expect(after).toEqual({ ...before, search_tokens: [], search_backlog: sealed })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['search_backlog', 'search_tokens', 'search_tokens_purged', 'search_tokens_record'], removed: [], changed: [] })
    expect(columns(db, 'search_tokens').map((c) => [c.name, c.type, c.notNull, c.pk])).toEqual([
      ['token', 'BLOB', true, 1],
      ['record_id', 'TEXT', true, 2],
    ])
    expect(foreignKeys(db, 'search_tokens')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'CASCADE' }])
    expect(foreignKeys(db, 'search_backlog')).toEqual([{ from: 'record_id', table: 'registrations', to: 'id', onDelete: 'CASCADE' }])
    expect(indexes(db, 'search_tokens').map((i) => i.name)).toContain('search_tokens_record')
    expect(triggers(db, 'registrations')).toContain('search_tokens_purged')
    db.close()
  })

  it('tokens are 16 bytes; erasing a record\'s sealed data erases its tokens and its backlog row', () => {
    const at = databaseAt(VERSION - 1)
    populate(at.db, VERSION - 1)
    const db = migrateTo(at, VERSION)
    const add = db.prepare('INSERT INTO search_tokens (token, record_id) VALUES (?, ?)')
    add.run(Buffer.alloc(16, 1), 'rec-03-accepted')
    add.run(Buffer.alloc(16, 2), 'rec-03-accepted')
    add.run(Buffer.alloc(16, 1), 'rec-09-queued')
    expect(() => add.run(Buffer.alloc(15, 3), 'rec-09-queued')).toThrow(/CHECK constraint failed/)
    expect(() => add.run(Buffer.alloc(16, 4), 'no-such-record')).toThrow(/FOREIGN KEY constraint failed/)
    db.prepare("UPDATE registrations SET sealed = NULL, nik_hmac = NULL, state = 'purged', purged_at = ? WHERE id = 'rec-03-accepted'").run('2026-12-01T00:00:00.000Z')
    expect(db.prepare('SELECT record_id FROM search_tokens').pluck().all()).toEqual(['rec-09-queued'])
    expect(db.prepare("SELECT count(*) FROM search_backlog WHERE record_id = 'rec-03-accepted'").pluck().get()).toBe(0)
    // An edit (new sealed bytes) leaves the tokens to the service, which replaces them in the same transaction.
    db.prepare("UPDATE registrations SET sealed = ? WHERE id = 'rec-09-queued'").run(Buffer.alloc(700, 9))
    expect(db.prepare('SELECT count(*) FROM search_tokens').pluck().get()).toBe(1)
    db.close()
  })

  it('is the latest migration this file knows about', () => {
    expect(LATEST).toBeGreaterThanOrEqual(VERSION)
  })
})
