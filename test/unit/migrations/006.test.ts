import { describe, expect, it } from 'vitest'
import { databaseAt, dump, indexes, migrateTo, populate, queryPlan, schema, schemaChanges } from '../migration-kit'

/** The uploader's question once per batch: the oldest outbox rows not yet in a batch. */
const FRESH = 'SELECT record_id FROM outbox WHERE batch_id IS NULL ORDER BY enqueued_at, record_id'

describe('migration 006 outbox order', () => {
  it('changes no row of a version-5 kiosk and adds only the partial outbox_fresh index', () => {
    const at = databaseAt(5)
    populate(at.db, 5)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    expect(queryPlan(at.db, FRESH)).toContain('USE TEMP B-TREE FOR ORDER BY')
    const db = migrateTo(at, 6)
    expect(dump(db)).toEqual(before)
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({ added: ['outbox_fresh'], removed: [], changed: [] })
    expect(indexes(db, 'outbox')).toEqual([
      { name: 'outbox_batch', columns: ['batch_id'], unique: false, partial: false },
      { name: 'outbox_fresh', columns: ['enqueued_at', 'record_id'], unique: false, partial: true },
    ])
    db.close()
  })

  it('serves the fresh rows in order from the index, without a sort, and only rows outside a batch are in it', () => {
    const at = databaseAt(5)
    populate(at.db, 5)
    const db = migrateTo(at, 6)
    // The planner alone may pick outbox_batch for `batch_id IS NULL` (it does on this small table), so the uploader
    // names the index (INDEXED BY outbox_fresh); with it the oldest fresh rows come straight off the index, unsorted.
    const forced = db.prepare('SELECT record_id FROM outbox INDEXED BY outbox_fresh WHERE batch_id IS NULL ORDER BY enqueued_at, record_id').pluck()
    const plan = queryPlan(db, forced.source)
    expect(plan.join('\n')).toMatch(/outbox USING (COVERING )?INDEX outbox_fresh/)
    expect(plan.filter((step) => step.includes('TEMP B-TREE'))).toEqual([])
    // Two rows enqueued in the same millisecond come out by record id; the in-flight and the retried batch are not fresh.
    expect(forced.all()).toEqual(['rec-06-exported', 'rec-09-queued', 'rec-10-self'])
    expect(db.prepare(FRESH).pluck().all()).toEqual(forced.all())
    expect(() => db.prepare('SELECT record_id FROM outbox INDEXED BY outbox_fresh ORDER BY enqueued_at').all()).toThrow(/no query solution/)
    db.prepare("UPDATE outbox SET batch_id = 'batch-c' WHERE record_id = 'rec-06-exported'").run()
    expect(forced.all()).toEqual(['rec-09-queued', 'rec-10-self'])
    db.prepare("UPDATE outbox SET batch_id = NULL WHERE record_id IN ('rec-06-exported', 'rec-08-retry')").run()
    expect(forced.all()).toEqual(['rec-08-retry', 'rec-06-exported', 'rec-09-queued', 'rec-10-self'])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })
})
