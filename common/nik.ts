/**
 * NIK (Nomor Induk Kependudukan) rules, offline. 16 digits: province(2) regency(2) district(2) DDMMYY (day + 40
 * for women) serial(4). There is no check digit, so the only hard rules are the ones a NIK can't break: shape,
 * a province that exists, a real calendar date, a serial from 0001. Everything else is a warning for the operator,
 * never a refusal: the region in a NIK is where it was first issued, codes get renumbered (the 2022 Papua splits
 * moved whole regencies from 91/92 to 93–96 while their residents kept their NIKs), and people mistype their own
 * birth date more often than the civil registry gets it wrong.
 */
export type NikErrorCode = 'nik_length' | 'nik_digits' | 'nik_province' | 'nik_date' | 'nik_serial'

export type NikSex = 'male' | 'female'

export interface NikInfo {
  nik: string
  provinceCode: string
  /** Dotted like the region data: "35.78". */
  regencyCode: string
  /** "35.78.01" */
  districtCode: string
  /** YYYY-MM-DD, century resolved against `today` (see parseNik). */
  birthDate: string
  sex: NikSex
  serial: string
}

export type NikResult = { ok: true; value: NikInfo; warnings: NikWarning[] } | { ok: false; error: { code: NikErrorCode } }

export type NikWarningCode = 'regency_unknown' | 'district_unknown' | 'birth_date_differs' | 'sex_differs' | 'age_out_of_range'
export interface NikWarning {
  code: NikWarningCode
}

/**
 * What parseNik needs to know about regions. Injected rather than imported so common/ never loads the region file;
 * common/regions.ts's index implements it.
 */
export interface RegionLookup {
  /** Dotted regency code, "35.78". */
  hasRegency(code: string): boolean
  /** Dotted district code, "35.78.01". */
  hasDistrict(code: string): boolean
}

/** Inclusive bounds, in whole years on `today`. */
export interface AgeRange {
  min: number
  max: number
}

/** The programme is for working-age adults. */
export const DEFAULT_AGE_RANGE: Readonly<AgeRange> = Object.freeze({ min: 18, max: 64 })

export interface NikOptions {
  /**
   * The kiosk's today, read as a local calendar date: a post in Jayapura (UTC+9) turns the day nine hours before
   * UTC does, and an applicant turning 18 should count as 18 on the post's calendar. Defaults to now.
   */
  today?: Date
  /** Without it, regency and district are not checked (no warnings). */
  regions?: RegionLookup
  /** The date of birth typed on the form, YYYY-MM-DD; anything else is ignored (the form validates its own field). */
  typedBirthDate?: string | null
  typedSex?: NikSex | null
  ageRange?: AgeRange
}

/** Kemendagri province codes, including the 2022 Papua splits (93–96). regions.test.ts checks it against the data. */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36', '51', '52', '53',
  '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82', '91', '92', '93', '94', '95', '96',
])

/** Women's day of birth is stored plus this. */
const FEMALE_DAY_OFFSET = 40

/** Strips what people type between digit groups (a KTP prints none, but copies from documents have them). */
export function normaliseNik(input: string): string {
  return input.replace(/[\s.-]/g, '')
}

/**
 * Kemendagri numbers kabupaten (regencies) 01–69 and kota (cities) 71–99 within a province. Takes the dotted
 * regency code ("35.78") or its two regency digits ("78"); null for 00, 70 and anything malformed.
 */
export function regencyKind(code: string): 'kabupaten' | 'kota' | null {
  const match = /^(?:\d{2}\.)?(\d{2})$/.exec(code)
  if (!match) return null
  const n = Number(match[1])
  if (n >= 1 && n <= 69) return 'kabupaten'
  if (n >= 71 && n <= 99) return 'kota'
  return null
}

interface CalendarDate {
  year: number
  month: number
  day: number
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysIn(month: number, year: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
}

function toCalendarDate(date: Date): CalendarDate {
  return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() }
}

/** Negative, zero or positive like a comparator; month and day only. */
function compareMonthDay(a: Omit<CalendarDate, 'year'>, b: Omit<CalendarDate, 'year'>): number {
  return a.month - b.month || a.day - b.day
}

function formatDate({ year, month, day }: CalendarDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
}

function readIsoDate(text: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return null
  return { year, month, day }
}

/**
 * A NIK has only two year digits. The birth year is the most recent one ending in them whose birthday is not after
 * today: with today 2026-11-25, "26" on 15 June is 2026, but on 15 December it is 1926 (a birth date can't be in
 * the future). Leap-day validity follows from the resolved year, so "290200" is 2000-02-29 (valid) from 2000-02-29
 * on, and 1900-02-29 (invalid) before that.
 */
function resolveBirthYear(twoDigitYear: number, monthDay: Omit<CalendarDate, 'year'>, today: CalendarDate): number {
  const year = today.year - ((today.year - twoDigitYear) % 100 + 100) % 100
  return year === today.year && compareMonthDay(monthDay, today) > 0 ? year - 100 : year
}

function decodeBirth(dateDigits: string, today: CalendarDate): { birth: CalendarDate; sex: NikSex } | null {
  const encodedDay = Number(dateDigits.slice(0, 2))
  const month = Number(dateDigits.slice(2, 4))
  const sex: NikSex = encodedDay > FEMALE_DAY_OFFSET ? 'female' : 'male'
  const day = sex === 'female' ? encodedDay - FEMALE_DAY_OFFSET : encodedDay
  // Checked before resolving the century so an out-of-range day can't pick one.
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  const year = resolveBirthYear(Number(dateDigits.slice(4, 6)), { month, day }, today)
  if (day > daysIn(month, year)) return null
  return { birth: { year, month, day }, sex }
}

/** Whole years lived on `today`; someone born on 29 February gets a year older on 1 March in common years. */
function countYears(birth: CalendarDate, today: CalendarDate): number {
  return today.year - birth.year - (compareMonthDay(today, birth) < 0 ? 1 : 0)
}

/** Age in whole years on the local calendar day of `today`; null when `birthDate` is not a real YYYY-MM-DD date. */
export function ageOn(birthDate: string, today: Date): number | null {
  const birth = readIsoDate(birthDate)
  return birth === null ? null : countYears(birth, toCalendarDate(today))
}

function checkRegion(info: NikInfo, regions: RegionLookup | undefined): NikWarning[] {
  if (!regions) return []
  // An unknown regency makes its district unknown too; one warning says it.
  if (!regions.hasRegency(info.regencyCode)) return [{ code: 'regency_unknown' }]
  if (!regions.hasDistrict(info.districtCode)) return [{ code: 'district_unknown' }]
  return []
}

function checkTyped(info: NikInfo, options: NikOptions): NikWarning[] {
  const warnings: NikWarning[] = []
  const typed = options.typedBirthDate
  if (typed && readIsoDate(typed) !== null && typed !== info.birthDate) warnings.push({ code: 'birth_date_differs' })
  if (options.typedSex && options.typedSex !== info.sex) warnings.push({ code: 'sex_differs' })
  return warnings
}

function checkAge(birth: CalendarDate, today: CalendarDate, range: AgeRange): NikWarning[] {
  const age = countYears(birth, today)
  return age < range.min || age > range.max ? [{ code: 'age_out_of_range' }] : []
}

/**
 * Decodes a NIK. Hard errors come in a fixed order (digits, length, province, date, serial) so one input always
 * gets the same code; warnings come in the order region, typed date, typed sex, age.
 */
export function parseNik(input: string, options: NikOptions = {}): NikResult {
  const nik = normaliseNik(input)
  if (!/^\d*$/.test(nik)) return { ok: false, error: { code: 'nik_digits' } }
  if (nik.length !== 16) return { ok: false, error: { code: 'nik_length' } }
  const provinceCode = nik.slice(0, 2)
  if (!PROVINCE_CODES.has(provinceCode)) return { ok: false, error: { code: 'nik_province' } }
  const today = toCalendarDate(options.today ?? new Date())
  const decoded = decodeBirth(nik.slice(6, 12), today)
  if (!decoded) return { ok: false, error: { code: 'nik_date' } }
  const serial = nik.slice(12)
  if (serial === '0000') return { ok: false, error: { code: 'nik_serial' } }
  const regencyCode = `${provinceCode}.${nik.slice(2, 4)}`
  const value: NikInfo = {
    nik,
    provinceCode,
    regencyCode,
    districtCode: `${regencyCode}.${nik.slice(4, 6)}`,
    birthDate: formatDate(decoded.birth),
    sex: decoded.sex,
    serial,
  }
  const warnings = [
    ...checkRegion(value, options.regions),
    ...checkTyped(value, options),
    ...checkAge(decoded.birth, today, options.ageRange ?? DEFAULT_AGE_RANGE),
  ]
  return { ok: true, value, warnings }
}
