import type { Migration } from '../migration'

/**
 * Registrations and their outbox. Personal data lives only in `sealed` (AES-GCM); `nik_hmac` finds and
 * de-duplicates by NIK without storing it. The plaintext columns are non-personal and stay after a purge, for
 * reports. The outbox row is written in the same transaction as the record: "acknowledged" means "on disk".
 */
export const migration002: Migration = {
  version: 2,
  name: 'registrations',
  up(db) {
    db.exec(`
      CREATE TABLE registrations (
        id             TEXT PRIMARY KEY,
        receipt_no     TEXT NOT NULL UNIQUE,
        state          TEXT NOT NULL CHECK (state IN ('queued','uploading','accepted','duplicate','rejected','exported','purged')),
        nik_hmac       BLOB,
        sealed         BLOB,
        post_id        TEXT NOT NULL,
        operator_id    TEXT,
        self_service   INTEGER NOT NULL DEFAULT 0 CHECK (self_service IN (0, 1)),
        photo_override INTEGER NOT NULL DEFAULT 0 CHECK (photo_override IN (0, 1)),
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        central_id     TEXT,
        rejection      TEXT,
        accepted_at    TEXT,
        purged_at      TEXT,
        CHECK ((state = 'purged') = (sealed IS NULL)),
        CHECK (state = 'purged' OR nik_hmac IS NOT NULL)
      ) STRICT;
      -- A purge clears nik_hmac, so the NIK is unique among non-purged records only.
      CREATE UNIQUE INDEX registrations_nik ON registrations (nik_hmac) WHERE nik_hmac IS NOT NULL;
      CREATE INDEX registrations_state ON registrations (state);
      CREATE INDEX registrations_created ON registrations (created_at);

      CREATE TABLE outbox (
        record_id       TEXT PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
        enqueued_at     TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        batch_id        TEXT,
        last_error      TEXT
      ) STRICT;
      CREATE INDEX outbox_batch ON outbox (batch_id);

      CREATE TABLE receipt_sequence (
        day  TEXT PRIMARY KEY,
        last INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
