import type { Migration } from '../migration'

/**
 * Counts by state, kept by triggers. The home screen and every `queue.changed` event need them; a GROUP BY over
 * the registrations made each submit O(n): at 50,000 stored records the count cost more than the write.
 */
export const migration008: Migration = {
  version: 8,
  name: 'state_counts',
  up(db) {
    db.exec(`
      CREATE TABLE state_counts (
        state TEXT PRIMARY KEY,
        n     INTEGER NOT NULL CHECK (n >= 0)
      ) STRICT;
      INSERT INTO state_counts (state, n) SELECT state, count(*) FROM registrations GROUP BY state;
      CREATE TRIGGER state_counts_insert AFTER INSERT ON registrations BEGIN
        INSERT INTO state_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER state_counts_delete AFTER DELETE ON registrations BEGIN
        UPDATE state_counts SET n = n - 1 WHERE state = OLD.state;
      END;
      CREATE TRIGGER state_counts_update AFTER UPDATE OF state ON registrations WHEN OLD.state != NEW.state BEGIN
        UPDATE state_counts SET n = n - 1 WHERE state = OLD.state;
        INSERT INTO state_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
    `)
  },
}
