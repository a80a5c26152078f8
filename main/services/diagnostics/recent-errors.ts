import type { RecentError } from '../../../common/operations'
import type { LogFields, Logger } from '../platform/logger'
import { maskSecrets, redactText } from './redact'

export interface RecentErrors extends Logger {
  /** Newest last. */
  entries(): RecentError[]
}

const MAX_FIELDS = 20
const MAX_STRING = 200

function sanitize(fields: LogFields | undefined): RecentError['fields'] {
  const out: RecentError['fields'] = {}
  for (const [key, value] of Object.entries(fields ?? {}).slice(0, MAX_FIELDS)) {
    const masked = maskSecrets({ [key]: value })
    const v = (masked as Record<string, unknown>)[key]
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out[key] = v
    else if (typeof v === 'string') out[key] = v.slice(0, MAX_STRING)
    else if (v !== undefined) out[key] = redactText(JSON.stringify(v) ?? '').slice(0, MAX_STRING)
  }
  return out
}

/**
 * A logger that keeps the last warnings and errors, with times, for the diagnostics screen ("last errors").
 * Tee it with the real logger so every service's warnings land here without knowing about it.
 */
export function createRecentErrors(options: { now: () => Date; limit?: number }): RecentErrors {
  const limit = options.limit ?? 50
  const kept: RecentError[] = []
  const keep = (level: 'warn' | 'error') => (message: string, fields?: LogFields) => {
    kept.push({ at: options.now().toISOString(), level, message: redactText(message).slice(0, 300), fields: sanitize(fields) })
    if (kept.length > limit) kept.shift()
  }
  return { debug() {}, info() {}, warn: keep('warn'), error: keep('error'), entries: () => kept.slice() }
}

/** One logger that writes to several: electron-log and the recent-errors ring, say. */
export function teeLogger(...loggers: readonly Logger[]): Logger {
  return {
    debug: (m, f) => loggers.forEach((l) => l.debug(m, f)),
    info: (m, f) => loggers.forEach((l) => l.info(m, f)),
    warn: (m, f) => loggers.forEach((l) => l.warn(m, f)),
    error: (m, f) => loggers.forEach((l) => l.error(m, f)),
  }
}
