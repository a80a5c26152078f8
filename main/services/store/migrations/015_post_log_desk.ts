import type { Migration } from '../migration'

/**
 * Desk status in the post log (DESIGN §11, issue 21.4): a desk appends a `desk` event with its upload queue depth
 * when the depth changed (at most one each 30 s) and at least every 10 minutes (network/desk-status.ts), so every
 * desk's home screen shows each desk's queue and when it was last heard of, also after a restart.
 *
 * SQLite cannot change a CHECK, so `post_log` is rebuilt (same rows, same sequence): `kind` allows 'desk', such an
 * event has no record (`record_id` NULL, only there) and a `queue_depth` (only there). The triggers that write or
 * read `post_log` are dropped first and made again exactly as migrations 013 and 014 made them (a RENAME with triggers naming
 * a dropped table fails); 014's marks ('resolved', `kept_id`) and their index are kept as 014 made them. `post_log_day` serves the home screen's "today" counts without scanning the whole log.
 */
export const migration015: Migration = {
  version: 15,
  name: 'post_log_desk',
  up(db) {
    db.exec(`
      DROP TRIGGER post_log_registered;
      DROP TRIGGER post_log_nik;
      DROP TRIGGER post_log_state;
      DROP TRIGGER post_nik_keep;
      DROP TRIGGER post_nik_purged;

      CREATE TABLE post_log_015 (
        kiosk_id     TEXT NOT NULL,
        seq          INTEGER NOT NULL CHECK (seq > 0),
        kind         TEXT NOT NULL CHECK (kind IN ('registered', 'nik', 'state', 'resolved', 'desk')),
        record_id    TEXT,
        receipt_no   TEXT,
        nik_hmac     BLOB CHECK (nik_hmac IS NULL OR length(nik_hmac) = 32),
        state        TEXT CHECK (state IS NULL OR state IN ('accepted', 'duplicate', 'rejected', 'purged')),
        operator_id  TEXT,
        self_service INTEGER NOT NULL DEFAULT 0 CHECK (self_service IN (0, 1)),
        at           TEXT NOT NULL,
        kept_id      TEXT,
        queue_depth  INTEGER CHECK (queue_depth IS NULL OR queue_depth >= 0),
        PRIMARY KEY (kiosk_id, seq),
        CHECK ((kind = 'resolved') = (kept_id IS NOT NULL)),
        CHECK (kind != 'resolved' OR (nik_hmac IS NULL AND state IS NULL AND kept_id != record_id)),
        CHECK ((kind = 'desk') = (record_id IS NULL)),
        CHECK ((kind = 'desk') = (queue_depth IS NOT NULL))
      ) STRICT;
      INSERT INTO post_log_015 (kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, kept_id)
        SELECT kiosk_id, seq, kind, record_id, receipt_no, nik_hmac, state, operator_id, self_service, at, kept_id FROM post_log;
      DROP TABLE post_log;
      ALTER TABLE post_log_015 RENAME TO post_log;
      CREATE INDEX post_log_record ON post_log (kiosk_id, record_id);
      CREATE INDEX post_log_resolved ON post_log (record_id) WHERE kind = 'resolved';
      CREATE INDEX post_log_day ON post_log (kind, at);

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
