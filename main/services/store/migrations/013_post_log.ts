import type { Migration } from '../migration'

/**
 * The replicated post log (DESIGN §11, issue 21.3). Each kiosk appends its own events, one writer per log (kiosk id +
 * sequence); desks pull each other's logs and keep them; since no two kiosks write one log, merging is a union.
 *
 * - `registrations.post_nik_hmac`: the NIK's HMAC under the post key (every desk of the post holds it), set at
 *   commit once the kiosk has the post key, filled in later for records made before (network/post-nik.ts). The
 *   vault-keyed `nik_hmac` stays the local unique index: a kiosk that never reached central still dedupes.
 * - `post_log`: own events under kiosk_id 'self' (the kiosk's roster id is only known after enrolment and is
 *   put on them when served), peers' under their roster id. Written by TRIGGERS on `registrations`, so an event
 *   commits in the same transaction as the change it describes, whichever connection makes it (the upload worker
 *   has its own): a record inserted ('registered'), its post NIK HMAC set or changed ('nik'), its state becoming
 *   accepted, duplicate, rejected or purged ('state'). Nothing personal: ids, receipt number, the keyed hash,
 *   operator id, times.
 * - `post_nik`: the post-wide NIK index, one row per (kiosk, record) with its current HMAC, kept by a trigger on
 *   `post_log` for own and peers' events alike. A purge deletes the row and erases the HMAC from that record's
 *   events (the one edit an append-only log gets: retention outranks history), so a purged NIK is free again
 *   post-wide as it is locally.
 */
export const migration013: Migration = {
  version: 13,
  name: 'post_log',
  up(db) {
    db.exec(`
      ALTER TABLE registrations ADD COLUMN post_nik_hmac BLOB;

      CREATE TABLE post_log (
        kiosk_id     TEXT NOT NULL,
        seq          INTEGER NOT NULL CHECK (seq > 0),
        kind         TEXT NOT NULL CHECK (kind IN ('registered', 'nik', 'state')),
        record_id    TEXT NOT NULL,
        receipt_no   TEXT,
        nik_hmac     BLOB CHECK (nik_hmac IS NULL OR length(nik_hmac) = 32),
        state        TEXT CHECK (state IS NULL OR state IN ('accepted', 'duplicate', 'rejected', 'purged')),
        operator_id  TEXT,
        self_service INTEGER NOT NULL DEFAULT 0 CHECK (self_service IN (0, 1)),
        at           TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, seq)
      ) STRICT;

      -- A record's events (its latest state for the NIK check, a purge's erasure): without it each was a scan of the log.
      CREATE INDEX post_log_record ON post_log (kiosk_id, record_id);

      CREATE TABLE post_nik (
        kiosk_id   TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        nik_hmac   BLOB NOT NULL,
        receipt_no TEXT,
        at         TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, record_id)
      ) STRICT;
      CREATE INDEX post_nik_hmac ON post_nik (nik_hmac);

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
      -- A purge erases the record's post HMAC too (retention.ts clears only the local one).
      CREATE TRIGGER post_nik_purge_record AFTER UPDATE OF state ON registrations
        WHEN NEW.state = 'purged' AND NEW.post_nik_hmac IS NOT NULL BEGIN
        UPDATE registrations SET post_nik_hmac = NULL WHERE id = NEW.id;
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
