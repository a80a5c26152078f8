import type { Migration } from '../migration'

/**
 * Find by name or phone without storing either (issue 19): a keyed blind index. `search_tokens` holds, per record,
 * 16-byte HMACs (vault.searchToken) of its normalised name words and its E.164 phone, padded with random tokens to
 * a multiple of four rows so the row count does not tell how many words a name has (registration/search-index.ts).
 *
 * The key is the vault's and migrations run before the vault opens, so the records already on the kiosk cannot be
 * indexed here: they are listed in `search_backlog`, and the kiosk indexes them after start-up in batches
 * (decrypting each), removing each from the backlog in the same transaction as its tokens.
 *
 * Triggers keep the index in step with a purge: erasing a record's sealed data erases its tokens, whatever path
 * erased it.
 */
export const migration012: Migration = {
  version: 12,
  name: 'search_index',
  up(db) {
    db.exec(`
      CREATE TABLE search_tokens (
        token     BLOB NOT NULL CHECK (length(token) = 16),
        record_id TEXT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        PRIMARY KEY (token, record_id)
      ) STRICT, WITHOUT ROWID;
      -- For re-indexing an edited record and for erasing a purged one's tokens.
      CREATE INDEX search_tokens_record ON search_tokens (record_id);

      CREATE TABLE search_backlog (
        record_id TEXT PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      INSERT INTO search_backlog (record_id) SELECT id FROM registrations WHERE sealed IS NOT NULL;

      CREATE TRIGGER search_tokens_purged AFTER UPDATE OF sealed ON registrations
      WHEN NEW.sealed IS NULL
      BEGIN
        DELETE FROM search_tokens WHERE record_id = NEW.id;
        DELETE FROM search_backlog WHERE record_id = NEW.id;
      END;
    `)
  },
}
