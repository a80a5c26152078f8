/**
 * Every date and time the screens show, in one style whatever the OS or browser locale (issue 19: Chromium in en-US
 * showed 08/17/1998). Read aloud: "17 Agustus 1998" / "17 August 1998", day first in both languages; typed and
 * short: 17/08/1998. Intl gets an explicit locale with a region, never the UI language alone ('en' is US English).
 */
const LOCALES: Readonly<Record<string, string>> = { id: 'id-ID', en: 'en-GB' }

/** The formatting locale for a UI language: Indonesian, or British English for its day-first dates. */
export function localeOf(language: string): string {
  return LOCALES[language.slice(0, 2)] ?? 'id-ID'
}

/** A calendar date ("1990-01-01") in words, "1 Januari 1990"; pinned to UTC so no time zone can move it a day. */
export function formatDate(isoDate: string, language: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return isoDate
  return new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date)
}

/** An instant (ISO timestamp) in the kiosk's local time: "6 Desember 2026 09.30". */
export function formatDateTime(iso: string, language: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date)
}

/** The same with seconds (IT lines log entries up with files and central's records). */
export function formatDateTimeSeconds(iso: string, language: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(localeOf(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date)
}

/** A moment soon (the uploader's next try): the time alone when it is today, with the date otherwise. */
/** Whether the moment falls on today's date (local time). */
export const isToday = (iso: string, now: Date = new Date()) => new Date(iso).toDateString() === now.toDateString()

export function formatTime(iso: string, language: string, now: Date = new Date()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const today = isToday(iso, now)
  return today
    ? new Intl.DateTimeFormat(localeOf(language), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date)
    : formatDateTime(iso, language)
}

/** "1998-08-17" as typed and read on a form: "17/08/1998"; anything else as it is. */
export function toDayMonthYear(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate
}

/**
 * What a date field holds as it is typed: the digits as "dd/mm/yyyy" (slashes added as the digits come, any
 * separator accepted), and once all eight digits are there the ISO date the record stores ("1998-08-17"),
 * valid or not (the schema says whether the day exists).
 */
export function readDayMonthYear(typed: string): string {
  const digits = typed.replace(/\D/g, '').slice(0, 8)
  if (digits.length === 8) return `${digits.slice(4)}-${digits.slice(2, 4)}-${digits.slice(0, 2)}`
  return [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)].filter(Boolean).join('/')
}
