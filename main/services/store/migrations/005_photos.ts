import type { Migration } from '../migration'

/**
 * Photos, sealed like every personal field and keyed by the SHA-256 of the processed JPEG (the same hash central
 * stores them under). A photo is processed before its record exists, so `record_id` is set at submit; photos no
 * record claimed (retakes, abandoned drafts) are purged after a day.
 */
export const migration005: Migration = {
  version: 5,
  name: 'photos',
  up(db) {
    db.exec(`
      CREATE TABLE photos (
        sha256      TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('face', 'card')),
        verdict     TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
        sealed      BLOB,
        bytes       INTEGER NOT NULL,
        record_id   TEXT REFERENCES registrations (id),
        created_at  TEXT NOT NULL,
        uploaded_at TEXT,
        purged_at   TEXT,
        CHECK ((purged_at IS NULL) = (sealed IS NOT NULL))
      ) STRICT;
      CREATE INDEX photos_record ON photos (record_id);
      CREATE INDEX photos_orphans ON photos (created_at) WHERE record_id IS NULL;
    `)
  },
}
