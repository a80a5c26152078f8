/**
 * NIK (Nomor Induk Kependudukan) rules, offline. 16 digits: province(2) regency(2) district(2) DDMMYY (day + 40
 * for women) serial(4). There is no check digit. PROVISIONAL: hard rules only; warnings and region lookups are
 * being added with their property tests.
 */
export type NikErrorCode = 'nik_length' | 'nik_digits' | 'nik_province' | 'nik_date' | 'nik_serial'

export interface NikInfo {
  nik: string
  provinceCode: string
  /** Dotted like the region data: "35.78". */
  regencyCode: string
  /** "35.78.01" */
  districtCode: string
  birthDate: string
  sex: 'male' | 'female'
  serial: string
}

export type NikResult = { ok: true; value: NikInfo; warnings: NikWarning[] } | { ok: false; error: { code: NikErrorCode } }

export type NikWarningCode = 'regency_unknown' | 'district_unknown' | 'birth_date_differs' | 'sex_differs' | 'age_out_of_range'
export interface NikWarning {
  code: NikWarningCode
}

/** Kemendagri province codes, including the 2022 Papua splits (93–96). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36', '51', '52', '53',
  '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82', '91', '92', '93', '94', '95', '96',
])

export function normaliseNik(input: string): string {
  return input.replace(/[\s.\-]/g, '')
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysIn(month: number, year: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
}

export function parseNik(input: string, options: { today?: Date } = {}): NikResult {
  const nik = normaliseNik(input)
  if (!/^\d*$/.test(nik)) return { ok: false, error: { code: 'nik_digits' } }
  if (nik.length !== 16) return { ok: false, error: { code: 'nik_length' } }
  const province = nik.slice(0, 2)
  if (!PROVINCE_CODES.has(province)) return { ok: false, error: { code: 'nik_province' } }
  let day = Number(nik.slice(6, 8))
  const month = Number(nik.slice(8, 10))
  const yy = Number(nik.slice(10, 12))
  const sex = day > 40 ? 'female' : 'male'
  if (day > 40) day -= 40
  const today = options.today ?? new Date()
  const century = 2000 + yy > today.getUTCFullYear() ? 1900 : 2000
  const year = century + yy
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return { ok: false, error: { code: 'nik_date' } }
  const serial = nik.slice(12)
  if (serial === '0000') return { ok: false, error: { code: 'nik_serial' } }
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    ok: true,
    value: {
      nik,
      provinceCode: province,
      regencyCode: `${province}.${nik.slice(2, 4)}`,
      districtCode: `${province}.${nik.slice(2, 4)}.${nik.slice(4, 6)}`,
      birthDate: `${year}-${pad(month)}-${pad(day)}`,
      sex,
      serial,
    },
    warnings: [],
  }
}
