import type { Db } from './db'

export interface SettingsRepository {
  get(key: string): string | undefined
  set(key: string, value: string, now: Date): void
}

export function createSettingsRepository(db: Db): SettingsRepository {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  return {
    get: (key) => select.get(key)?.value,
    set: (key, value, now) => void upsert.run(key, value, now.toISOString()),
  }
}
