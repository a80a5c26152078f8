import type { Migration } from '../migration'

/**
 * Peer backup (issue 22.1). Two sides of one promise: "at least one other desk holds this record".
 *
 * `backup_held`: sealed bundles other desks gave this one (one per record of theirs, the newest version only). The
 * bundle is encrypted to central and signed by its origin: this desk cannot read it. Dropped by trigger the moment
 * the post log says central answered the record (accepted, duplicate) or it was purged, and by age (retention days).
 *
 * `backup_given`: which desk holds which of this desk's records, as it acknowledged them. A record is "safe" while it
 * has a row here; editing a record (a new sealed version) deletes its rows by trigger, so it is backed up again. A
 * desk whose store was replaced (another `store_id` in its answers) has its rows forgotten by the sender.
 */
export const migration016: Migration = {
  version: 16,
  name: 'peer_backup',
  up(db) {
    db.exec(`
      CREATE TABLE backup_held (
        origin_kiosk_id TEXT NOT NULL,
        record_id       TEXT NOT NULL,
        bundle_id       TEXT NOT NULL,
        bundle          BLOB NOT NULL,
        size            INTEGER NOT NULL CHECK (size = length(bundle)),
        received_at     TEXT NOT NULL,
        PRIMARY KEY (origin_kiosk_id, record_id)
      ) STRICT;
      CREATE INDEX backup_held_age ON backup_held (received_at);

      CREATE TABLE backup_given (
        record_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        kiosk_id  TEXT NOT NULL,
        store_id  TEXT NOT NULL,
        given_at  TEXT NOT NULL,
        PRIMARY KEY (record_id, kiosk_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX backup_given_kiosk ON backup_given (kiosk_id);

      -- Central answered (or the record was purged): the peers' copies are no longer needed. Same transaction as
      -- the event's arrival in the post log.
      CREATE TRIGGER backup_held_settled AFTER INSERT ON post_log
      WHEN NEW.kind = 'state' AND NEW.state IN ('accepted', 'duplicate', 'purged') BEGIN
        DELETE FROM backup_held WHERE origin_kiosk_id = NEW.kiosk_id AND record_id = NEW.record_id;
      END;

      -- A new version of a record is not backed up until a peer holds that version.
      CREATE TRIGGER backup_given_edited AFTER UPDATE OF sealed ON registrations
      WHEN NEW.sealed IS NOT OLD.sealed BEGIN
        DELETE FROM backup_given WHERE record_id = NEW.id;
      END;
    `)
  },
}
