import type { Migration } from '../migration'

/**
 * Parked drafts (issue 19.2): a registration staff set aside while the applicant fetches a document. The form is
 * sealed like a record (associated data `draft:<id>`); the plaintext columns say only when, which step, and who
 * parked it. `draft_photos` keeps the draft's photos from being erased as abandoned while it is parked (the
 * orphan purge skips them); a draft that expires or is resumed lets them go.
 */
export const migration011: Migration = {
  version: 11,
  name: 'drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        id          TEXT PRIMARY KEY,
        number      INTEGER NOT NULL UNIQUE CHECK (number > 0),
        sealed      BLOB NOT NULL,
        step        TEXT NOT NULL,
        operator_id TEXT,
        parked_at   TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX drafts_expiry ON drafts (expires_at);
      CREATE TABLE draft_photos (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        sha256   TEXT NOT NULL REFERENCES photos (sha256),
        PRIMARY KEY (draft_id, sha256)
      ) STRICT;
      CREATE INDEX draft_photos_photo ON draft_photos (sha256);
    `)
  },
}
