import { formatDateTimeSeconds } from '../../dates'

/**
 * Formatting for IT's screen. Numbers and times follow the UI language; config and log fields are shown as the
 * kiosk gave them (already masked and redacted by main/services/diagnostics), never re-worded.
 */

/** With seconds: IT lines a log entry up with the log files and central's records. */
export function formatInstant(iso: string, language: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return formatDateTimeSeconds(iso, language)
}

export interface ConfigRow {
  key: string
  value: string
}

/** The config's nested objects as dotted keys ("camera.source"), so one two-column list shows all of it. */
export function configRows(config: Readonly<Record<string, unknown>>, prefix = ''): ConfigRow[] {
  return Object.entries(config).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return configRows(value as Record<string, unknown>, path)
    return [{ key: path, value: typeof value === 'string' ? value : JSON.stringify(value) ?? String(value) }]
  })
}

/** A log line's fields as "key=value", the way the log files write them. */
export function fieldText(fields: Readonly<Record<string, string | number | boolean | null>>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ')
}
