import type { Migration } from '../migration'

/**
 * The append-only audit log. Each row's hash covers its canonical content and the previous row's hash, so an
 * edited or deleted row breaks the chain at that point. Triggers refuse UPDATE and DELETE from the app's own
 * connection; the chain catches anyone who edits the file by other means.
 */
export const migration003: Migration = {
  version: 3,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT,
        action    TEXT NOT NULL,
        record_id TEXT,
        details   TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_action ON audit (action, at);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `)
  },
}
