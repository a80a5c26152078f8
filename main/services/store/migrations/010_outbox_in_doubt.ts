import type { Migration } from '../migration'

/**
 * A record whose batch may have reached central without its answer reaching the kiosk (a timeout, a reset, a 5xx,
 * a garbled answer after the request went out) is "in doubt" until central answers for it: central may hold it
 * already, and would answer a re-send of an edited version with its stored first answer, keeping the old version.
 * Such a record is not editable until then (registration/service.ts).
 */
export const migration010: Migration = {
  version: 10,
  name: 'outbox_in_doubt',
  up(db) {
    db.exec('ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0 CHECK (in_doubt IN (0, 1))')
  },
}
