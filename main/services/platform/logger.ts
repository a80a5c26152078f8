/**
 * Services log through this interface so tests can read what they log and main can route it to electron-log.
 * Log lines never carry personal data: pass record ids, counts and codes, not names or NIKs.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Readonly<Record<string, unknown>>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

export interface LogEntry {
  level: LogLevel
  message: string
  fields?: LogFields
}

/** Keeps entries in memory: for tests, and for the diagnostics screen's "last errors". */
export function createMemoryLogger(limit = 1000): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = []
  const push = (level: LogLevel) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, fields })
    if (entries.length > limit) entries.shift()
  }
  return { entries, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') }
}

/** Writes one JSON line per entry to stderr; used by the browser-mode server and the CLI tools. */
export function createConsoleLogger(minLevel: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error']
  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return
    process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, message, ...fields })}\n`)
  }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}
