import type { Migration } from '../migration'

/**
 * The anomaly screen's marks (issue 21.4): during a split two desks may both register one NIK; once it heals a
 * supervisor marks one of the two records as the duplicate of the other. The mark is an event of the marking desk's
 * own log, kind 'resolved', so it replicates like every other event and each desk sees the pair resolved:
 * `record_id` is the record marked as the duplicate, `kept_id` the one kept (record ids are UUIDs, unique post-wide,
 * so the mark needs no desk id), `operator_id` the supervisor, no NIK HMAC (the pair is found through `post_nik`).
 *
 * SQLite cannot change a CHECK in place, so `post_log` is rebuilt (rows kept exactly). The triggers on `registrations`
 * that write into it are dropped and made again around the rebuild: SQLite's RENAME re-checks every trigger and one
 * naming a table that is gone for the moment fails it. They are the same as 013's.
 */
export const migration014: Migration = {
  version: 14,
  name: 'post_log_resolved',
  up(db) {
    db.exec(`
      DROP TRIGGER post_log_registered;
      DROP TRIGGER post_log_nik;
      DROP TRIGGER post_log_state;

      CREATE TABLE post_log_new (
        kiosk_id     TEXT NOT NULL,
        seq          INTEGER NOT NULL CHECK (seq > 0),
        kind         TEXT NOT NULL CHECK (kind IN ('registered', 'nik', 'state', 'resolved')),
        record_id    TEXT NOT NULL,
        receipt_no   TEXT,
        nik_hmac     BLOB CHECK (nik_hmac IS NULL OR length(nik_hmac) = 32),
        state        TEXT CHECK (state IS NULL OR state IN ('accepted', 'duplicate', 'rejected', 'purged')),
        operator_id  TEXT,
        self_service INTEGER NOT NULL DEFAULT 0 CHECK (self_service IN (0, 1)),
        at           TEXT NOT NULL,
        kept_id      TEXT,
        PRIMARY KEY (kiosk_id, seq),
        CHECK ((kind = 'resolved') = (kept_id IS NOT NULL)),
        CHECK (kind != 'resolved' OR (nik_hmac IS NULL AND state IS NULL AND kept_id != record_id))
      ) STRICT;
      INSERT INTO post_log_new (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at)
        SELECT kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at FROM post_log;
      DROP TABLE post_log;
      ALTER TABLE post_log_new RENAME TO post_log;
      CREATE INDEX post_log_record ON post_log (kiosk_id, record_id);
      -- The marks of a pair's records, whichever desk wrote them (few rows: a partial index).
      CREATE INDEX post_log_resolved ON post_log (record_id) WHERE kind = 'resolved';

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
    `)
  },
}
