import type { Migration } from '../migration'

/**
 * Which photos central has confirmed, in a table of their own. As a column of `photos`, marking a photo uploaded
 * rewrote its whole row, the sealed JPEG's overflow pages included (and secure_delete zeroed the old ones): 200
 * photos marked after a batch wrote ~12 MB and stalled main's event loop for ~40 ms. A row here is ~100 bytes.
 */
export const migration009: Migration = {
  version: 9,
  name: 'photo_uploads',
  up(db) {
    db.exec(`
      CREATE TABLE photo_uploads (
        sha256      TEXT PRIMARY KEY REFERENCES photos (sha256) ON DELETE CASCADE,
        uploaded_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO photo_uploads (sha256, uploaded_at) SELECT sha256, uploaded_at FROM photos WHERE uploaded_at IS NOT NULL;
      ALTER TABLE photos DROP COLUMN uploaded_at;
    `)
  },
}
