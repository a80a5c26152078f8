import type { Migration } from '../migration'

/**
 * Self-service registrations can be held for staff review before they go to central (issue 8). A held outbox
 * row is neither uploaded nor exported until staff approve it; it is still on disk, so nothing is lost.
 */
export const migration007: Migration = {
  version: 7,
  name: 'outbox_hold',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));
      -- The home screen counts held rows after every submit: with this index that is not a scan of the outbox.
      CREATE INDEX outbox_held ON outbox (enqueued_at) WHERE held = 1;
    `)
  },
}
