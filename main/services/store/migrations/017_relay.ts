import type { Migration } from '../migration'

/**
 * Relay through a neighbour's uplink (issue 22.2).
 *
 * - `post_log` gets a fifth kind, `relayed`: a desk that posted another desk's held bundle to central writes the
 *   outcome into its **own** log (`record_id`, `state` accepted/duplicate/rejected, and the record's desk in the new
 *   column `origin_kiosk_id`), so it reaches the origin (and every desk) by the log pull, survives restarts at both
 *   ends, and stays readable after the origin died. SQLite cannot change a CHECK, so the table is rebuilt a third time
 *   (as 014 and 015 did): rows kept exactly, triggers and indexes made again as 013–016 made them (016's
 *   `backup_held_settled` is a trigger on this table and goes with it).
 * - `relay_asked` (the origin's side): which of its records it asked which desk to relay, written before the ask.
 *   An outcome is applied only for a record this desk asked that very desk to relay; anything else is a forged or
 *   stray outcome, refused.
 * - `relay_jobs` (the relaying side): records a desk agreed to relay, until their outcome is in its log.
 * - `relay_seen`: how far the origin has read each desk's `relayed` events (each is looked at once).
 */
export const migration017: Migration = {
  version: 17,
  name: 'relay',
  up(db) {
    db.exec(`
      DROP TRIGGER post_log_registered;
      DROP TRIGGER post_log_nik;
      DROP TRIGGER post_log_state;
      DROP TRIGGER post_nik_keep;
      DROP TRIGGER post_nik_purged;
      DROP TRIGGER backup_held_settled;

      CREATE TABLE post_log_017 (
        kiosk_id        TEXT NOT NULL,
        seq             INTEGER NOT NULL CHECK (seq > 0),
        kind            TEXT NOT NULL CHECK (kind IN ('registered', 'nik', 'state', 'resolved', 'desk', 'relayed')),
        record_id       TEXT,
        receipt_no      TEXT,
        nik_hmac        BLOB CHECK (nik_hmac IS NULL OR length(nik_hmac) = 32),
        state           TEXT CHECK (state IS NULL OR state IN ('accepted', 'duplicate', 'rejected', 'purged')),
        operator_id     TEXT,
        self_service    INTEGER NOT NULL DEFAULT 0 CHECK (self_service IN (0, 1)),
        at              TEXT NOT NULL,
        kept_id         TEXT,
        queue_depth     INTEGER CHECK (queue_depth IS NULL OR queue_depth >= 0),
        origin_kiosk_id TEXT,
        PRIMARY KEY (kiosk_id, seq),
        CHECK ((kind = 'resolved') = (kept_id IS NOT NULL)),
        CHECK (kind != 'resolved' OR (nik_hmac IS NULL AND state IS NULL AND kept_id != record_id)),
        CHECK ((kind = 'desk') = (record_id IS NULL)),
        CHECK ((kind = 'desk') = (queue_depth IS NOT NULL)),
        CHECK ((kind = 'relayed') = (origin_kiosk_id IS NOT NULL)),
        CHECK (kind != 'relayed' OR (state IS NOT NULL AND state IN ('accepted', 'duplicate', 'rejected') AND nik_hmac IS NULL))
      ) STRICT;
      INSERT INTO post_log_017 (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, kept_id, queue_depth)
        SELECT kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, kept_id, queue_depth FROM post_log;
      DROP TABLE post_log;
      ALTER TABLE post_log_017 RENAME TO post_log;
      CREATE INDEX post_log_record ON post_log (kiosk_id, record_id);
      CREATE INDEX post_log_resolved ON post_log (record_id) WHERE kind = 'resolved';
      CREATE INDEX post_log_day ON post_log (kind, at);
      CREATE INDEX post_log_relayed ON post_log (origin_kiosk_id, kiosk_id, seq) WHERE kind = 'relayed';

      CREATE TRIGGER post_log_registered AFTER INSERT ON registrations BEGIN
        INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, operator_id, self_service, at)
        VALUES ('self', COALESCE((SELECT max(seq) FROM post_log WHERE kiosk_id = 'self'), 0) + 1, 'registered',
                NEW.id, NEW.receipt_no, NEW.post_nik_hmac, NEW.operator_id, NEW.self_service, NEW.created_at);
      END;
      CREATE TRIGGER post_log_nik AFTER UPDATE OF post_nik_hmac ON registrations
        WHEN NEW.post_nik_hmac IS NOT NULL AND (OLD.post_nik_hmac IS NULL OR OLD.post_nik_hmac != NEW.post_nik_hmac) BEGIN
        INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, operator_id, self_service, at)
        VALUES ('self', COALESCE((SELECT max(seq) FROM post_log WHERE kiosk_id = 'self'), 0) + 1, 'nik',
                NEW.id, NEW.receipt_no, NEW.post_nik_hmac, NEW.operator_id, NEW.self_service, NEW.updated_at);
      END;
      CREATE TRIGGER post_log_state AFTER UPDATE OF state ON registrations
        WHEN OLD.state != NEW.state AND NEW.state IN ('accepted', 'duplicate', 'rejected', 'purged') BEGIN
        INSERT INTO post_log (kiosk_id, seq, kind, record_id, receipt_no, state, operator_id, self_service, at)
        VALUES ('self', COALESCE((SELECT max(seq) FROM post_log WHERE kiosk_id = 'self'), 0) + 1, 'state',
                NEW.id, NEW.receipt_no, NEW.state, NEW.operator_id, NEW.self_service, NEW.updated_at);
      END;
      CREATE TRIGGER post_nik_keep AFTER INSERT ON post_log WHEN NEW.nik_hmac IS NOT NULL BEGIN
        INSERT INTO post_nik (kiosk_id, record_id, nik_hmac, receipt_no, at) VALUES (NEW.kiosk_id, NEW.record_id, NEW.nik_hmac, NEW.receipt_no, NEW.at)
        ON CONFLICT (kiosk_id, record_id) DO UPDATE SET nik_hmac = excluded.nik_hmac, receipt_no = excluded.receipt_no;
      END;
      CREATE TRIGGER post_nik_purged AFTER INSERT ON post_log WHEN NEW.kind = 'state' AND NEW.state = 'purged' BEGIN
        DELETE FROM post_nik WHERE kiosk_id = NEW.kiosk_id AND record_id = NEW.record_id;
        UPDATE post_log SET nik_hmac = NULL WHERE kiosk_id = NEW.kiosk_id AND record_id = NEW.record_id AND nik_hmac IS NOT NULL;
      END;
      CREATE TRIGGER backup_held_settled AFTER INSERT ON post_log
      WHEN NEW.kind = 'state' AND NEW.state IN ('accepted', 'duplicate', 'purged') BEGIN
        DELETE FROM backup_held WHERE origin_kiosk_id = NEW.kiosk_id AND record_id = NEW.record_id;
      END;

      CREATE TABLE relay_asked (
        record_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        kiosk_id  TEXT NOT NULL,
        asked_at  TEXT NOT NULL,
        PRIMARY KEY (record_id, kiosk_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE relay_jobs (
        origin_kiosk_id TEXT NOT NULL,
        record_id       TEXT NOT NULL,
        asked_at        TEXT NOT NULL,
        PRIMARY KEY (origin_kiosk_id, record_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE relay_seen (
        kiosk_id TEXT PRIMARY KEY,
        seq      INTEGER NOT NULL CHECK (seq >= 0)
      ) STRICT;
    `)
  },
}
