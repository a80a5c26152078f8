import type { Migration } from '../migration'

/**
 * The uploader asks "the oldest rows not yet in a batch" once per batch. Without an index that is a sort of the
 * whole outbox each time, which at 10,000 queued records blocked the event loop for tens of milliseconds.
 */
export const migration006: Migration = {
  version: 6,
  name: 'outbox_order',
  up(db) {
    db.exec(`
      CREATE INDEX outbox_fresh ON outbox (enqueued_at, record_id) WHERE batch_id IS NULL;
    `)
  },
}
