import type { z } from 'zod'
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

/** A setting kept as JSON, read through its schema: null when absent, garbled or of another shape. */
export function readJsonSetting<T>(settings: SettingsRepository, key: string, schema: z.ZodType<T>): T | null {
  const raw = settings.get(key)
  if (raw === undefined) return null
  try {
    const parsed = schema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
