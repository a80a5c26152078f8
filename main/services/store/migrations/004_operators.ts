import type { Migration } from '../migration'

/**
 * Staff accounts. The PIN is stored only as a scrypt hash with its salt and parameters. `failed_attempts` and
 * `locked` survive a restart, so pulling the plug does not reset a lockout.
 */
export const migration004: Migration = {
  version: 4,
  name: 'operators',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        role            TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'it')),
        pin_hash        BLOB NOT NULL,
        pin_salt        BLOB NOT NULL,
        pin_params      TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        last_failure_at TEXT,
        locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
    `)
  },
}
