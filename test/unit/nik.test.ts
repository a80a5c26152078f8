import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NikErrorCode, NikOptions, NikResult, RegionLookup } from '../../common/nik'
import { ageOn, normaliseNik, parseNik, PROVINCE_CODES, regencyKind } from '../../common/nik'

/** Local calendar dates: parseNik reads `today` on the kiosk's own calendar, so the tests build it the same way. */
const TODAY = new Date(2026, 10, 25, 10, 30)
const DAY_MS = 86_400_000
const HARD_CODES: readonly NikErrorCode[] = ['nik_length', 'nik_digits', 'nik_province', 'nik_date', 'nik_serial']
const provinces = [...PROVINCE_CODES]

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

interface Parts {
  province: string
  regency: string
  district: string
  year: number
  month: number
  day: number
  sex: 'male' | 'female'
  serial: number
}

function makeNik(p: Parts): string {
  const day = p.sex === 'female' ? p.day + 40 : p.day
  return `${p.province}${p.regency}${p.district}${pad(day)}${pad(p.month)}${pad(p.year % 100)}${pad(p.serial, 4)}`
}

function parse(nik: string, options: NikOptions = {}): NikResult {
  return parseNik(nik, { today: TODAY, ...options })
}

function errorOf(nik: string, options: NikOptions = {}): NikErrorCode | 'ok' {
  const result = parse(nik, options)
  return result.ok ? 'ok' : result.error.code
}

function warningsOf(nik: string, options: NikOptions = {}): string[] {
  const result = parse(nik, options)
  if (!result.ok) throw new Error(`expected ${nik} to parse, got ${result.error.code}`)
  return result.warnings.map((w) => w.code)
}

/** A birth date in the 100 years ending today (the window a two-digit year can name), as UTC parts. */
const birthDates = fc
  .integer({ min: 0, max: (Date.UTC(2026, 10, 25) - Date.UTC(1926, 10, 26)) / DAY_MS })
  .map((daysBack) => new Date(Date.UTC(2026, 10, 25) - daysBack * DAY_MS))
  .map((d) => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }))

const validParts: fc.Arbitrary<Parts> = fc
  .record({
    province: fc.constantFrom(...provinces),
    regency: fc.integer({ min: 0, max: 99 }).map((n) => pad(n)),
    district: fc.integer({ min: 0, max: 99 }).map((n) => pad(n)),
    birth: birthDates,
    sex: fc.constantFrom('male' as const, 'female' as const),
    serial: fc.integer({ min: 1, max: 9999 }),
  })
  .map(({ birth, ...rest }) => ({ ...rest, ...birth }))

const digitString = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length })

/**
 * Digit strings built field by field so every branch is hit often: a uniform 16-digit string has a valid date
 * only ~7 % of the time.
 */
const sixteenDigits = fc.oneof(
  digitString(16),
  fc
    .tuple(
      fc.oneof(fc.constantFrom(...provinces), digitString(2)),
      digitString(4),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 14 }),
      fc.integer({ min: 0, max: 99 }),
      fc.oneof(fc.constant('0000'), digitString(4)),
    )
    .map(([p, rd, day, month, yy, serial]) => `${p}${rd}${pad(day)}${pad(month)}${pad(yy)}${serial}`),
)

/** An independent oracle for the date rule, using the platform's calendar instead of our own leap-year code. */
function oracleDateIsValid(nik: string): boolean {
  const encoded = Number(nik.slice(6, 8))
  const day = encoded > 40 ? encoded - 40 : encoded
  const month = Number(nik.slice(8, 10))
  const yy = Number(nik.slice(10, 12))
  if (month < 1 || month > 12 || day < 1 || day > 31) return false
  const inFuture = 2000 + yy > 2026 || (2000 + yy === 2026 && (month > 11 || (month === 11 && day > 25)))
  const year = inFuture ? 1900 + yy : 2000 + yy
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Separators people put in a NIK, inserted at random places. */
function withSeparators(nik: string): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom('', ' ', '.', '-', '  ', '\t', '\u00a0', ' - '), { minLength: 17, maxLength: 17 })
    .map((seps) => seps.map((sep, i) => sep + (nik[i] ?? '')).join(''))
}

describe('parseNik properties', () => {
  it('decodes every valid NIK back to the parts it was built from', () => {
    fc.assert(
      fc.property(validParts, (p) => {
        const nik = makeNik(p)
        const result = parse(nik)
        expect(result).toEqual({
          ok: true,
          value: {
            nik,
            provinceCode: p.province,
            regencyCode: `${p.province}.${p.regency}`,
            districtCode: `${p.province}.${p.regency}.${p.district}`,
            birthDate: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
            sex: p.sex,
            serial: pad(p.serial, 4),
          },
          warnings: expect.any(Array),
        })
      }),
    )
  })

  it('stores a woman as day + 40: the same NIK with the day shifted gives the same date, female', () => {
    fc.assert(
      fc.property(validParts, (p) => {
        const male = parse(makeNik({ ...p, sex: 'male' }))
        const female = parse(makeNik({ ...p, sex: 'female' }))
        expect(male.ok && female.ok).toBe(true)
        if (!male.ok || !female.ok) return
        expect(Number(female.value.nik.slice(6, 8))).toBe(Number(male.value.nik.slice(6, 8)) + 40)
        expect([male.value.sex, female.value.sex]).toEqual(['male', 'female'])
        expect(female.value.birthDate).toBe(male.value.birthDate)
      }),
    )
  })

  it('accepts a 16-digit string exactly when province, date and serial are valid, and never throws', () => {
    fc.assert(
      fc.property(sixteenDigits, (nik) => {
        const result = parse(nik)
        const expectedOk = PROVINCE_CODES.has(nik.slice(0, 2)) && oracleDateIsValid(nik) && nik.slice(12) !== '0000'
        expect(result.ok).toBe(expectedOk)
        if (!result.ok) expect(['nik_province', 'nik_date', 'nik_serial']).toContain(result.error.code)
      }),
      { numRuns: 5000 },
    )
  })

  it('answers any string with a result or one of the hard codes, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789 .-x'), maxLength: 24 })), (input) => {
        const result = parse(input)
        if (!result.ok) expect(HARD_CODES).toContain(result.error.code)
        else expect(result.value.nik).toMatch(/^\d{16}$/)
      }),
      { numRuns: 2000 },
    )
  })

  it('strips separators idempotently, and separators never change the answer', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(normaliseNik(normaliseNik(s))).toBe(normaliseNik(s))
      }),
    )
    fc.assert(
      fc.property(
        validParts.chain((p) => withSeparators(makeNik(p)).map((typed) => [makeNik(p), typed] as const)),
        ([nik, typed]) => {
          expect(normaliseNik(typed)).toBe(nik)
          expect(parse(typed)).toEqual(parse(nik))
        },
      ),
    )
  })

  it('never lets a warning block: the decoded value is the same whatever the options', () => {
    const nothingKnown: RegionLookup = { hasRegency: () => false, hasDistrict: () => false }
    fc.assert(
      fc.property(
        validParts,
        birthDates,
        fc.constantFrom('male' as const, 'female' as const),
        fc.record({ min: fc.integer({ min: 0, max: 60 }), max: fc.integer({ min: 0, max: 100 }) }),
        (p, typed, typedSex, ageRange) => {
          const plain = parse(makeNik(p))
          const typedBirthDate = `${typed.year}-${pad(typed.month)}-${pad(typed.day)}`
          const checked = parse(makeNik(p), { regions: nothingKnown, typedBirthDate, typedSex, ageRange })
          expect(checked.ok && plain.ok).toBe(true)
          if (!checked.ok || !plain.ok) return
          expect(checked.value).toEqual(plain.value)
          expect(checked.warnings.map((w) => w.code)).toContain('regency_unknown')
          expect(checked.warnings.some((w) => w.code === 'birth_date_differs')).toBe(typedBirthDate !== plain.value.birthDate)
          expect(checked.warnings.some((w) => w.code === 'sex_differs')).toBe(typedSex !== p.sex)
        },
      ),
    )
  })

  it('warns about age exactly when the whole years lived fall outside the range', () => {
    fc.assert(
      fc.property(validParts, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 100 }), (p, min, max) => {
        // Whole years by the usual rule: subtract one if this year's birthday is still ahead.
        const age = 2026 - p.year - (p.month > 11 || (p.month === 11 && p.day > 25) ? 1 : 0)
        const warned = warningsOf(makeNik(p), { ageRange: { min, max } }).includes('age_out_of_range')
        expect(warned).toBe(age < min || age > max)
      }),
    )
  })
})

describe('parseNik hard rules', () => {
  it.each([
    ['3578012902000001', 'ok', '29 Feb 2000 (divisible by 400: leap)'],
    ['3578012902010001', 'nik_date', '29 Feb 2001'],
    ['3578012902040001', 'ok', '29 Feb 2004'],
    ['3578016902040001', 'ok', 'a woman born 29 Feb 2004 (69 = 29 + 40)'],
    ['3578013002000001', 'nik_date', '30 Feb 2000'],
    ['3578013101900001', 'ok', '31 Jan 1990'],
    ['3578013104900001', 'nik_date', '31 Apr 1990'],
    ['3578017101900001', 'ok', 'a woman born 31 Jan (71 = 31 + 40)'],
    ['3578017104900001', 'nik_date', 'a woman born 31 Apr (71 in a 30-day month)'],
    ['3578017201900001', 'nik_date', 'day 72'],
    ['3578019901900001', 'nik_date', 'day 99'],
    ['3578014001900001', 'nik_date', 'day 40: neither a man (> 31) nor a woman (< 41)'],
    ['3578013201900001', 'nik_date', 'day 32'],
    ['3578014101900001', 'ok', 'day 41: a woman born on the 1st'],
    ['3578010001900001', 'nik_date', 'day 00'],
    ['3578010100900001', 'nik_date', 'month 00'],
    ['3578010113900001', 'nik_date', 'month 13'],
    ['3578010112900001', 'ok', 'month 12'],
    ['3578010101900000', 'nik_serial', 'serial 0000'],
    ['3578010101900001', 'ok', 'serial 0001'],
    ['3578010101909999', 'ok', 'serial 9999'],
    ['2078010101900001', 'nik_province', 'province 20 (no such province)'],
    ['9978010101900001', 'nik_province', 'province 99'],
    ['0078010101900001', 'nik_province', 'province 00'],
    ['1001010101900001', 'nik_province', 'province 10'],
    ['9601010101900001', 'ok', 'province 96, Papua Barat Daya (2022)'],
    ['9301010101900001', 'ok', 'province 93, Papua Selatan (2022)'],
    ['1101010101900001', 'ok', 'province 11, Aceh'],
    ['2078010113900000', 'nik_province', 'province checked before date and serial'],
    ['3578010113900000', 'nik_date', 'date checked before serial'],
    ['3578 0129 0200 0001', 'ok', 'spaces'],
    ['35.78.01.290200.0001', 'ok', 'dots'],
    ['3578-012902-000001', 'ok', 'dashes'],
    ['  3578012902000001\n', 'ok', 'surrounding whitespace'],
    ['', 'nik_length', 'empty'],
    ['357801290200001', 'nik_length', '15 digits'],
    ['35780129020000011', 'nik_length', '17 digits'],
    ['357801290200000O', 'nik_digits', 'a letter O for a zero'],
    ['3578a', 'nik_digits', 'letters are reported before length'],
    ['+3578012902000001', 'nik_digits', 'a plus sign'],
    ['３５７８０１２９０２０００００１', 'nik_digits', 'full-width digits'],
    ['3578/0129/0200/0001', 'nik_digits', 'slashes are not a separator'],
  ])('%s → %s (%s)', (nik, expected) => {
    expect(errorOf(nik)).toBe(expected)
  })

  it('returns the decoded fields, with regency and district dotted like the region data', () => {
    expect(parse('35.78.01.710190.0123')).toEqual({
      ok: true,
      value: {
        nik: '3578017101900123',
        provinceCode: '35',
        regencyCode: '35.78',
        districtCode: '35.78.01',
        birthDate: '1990-01-31',
        sex: 'female',
        serial: '0123',
      },
      warnings: [],
    })
  })
})

describe('the century of a two-digit year', () => {
  const birthDateOf = (nik: string, today: Date) => {
    const result = parseNik(nik, { today })
    return result.ok ? result.value.birthDate : result.error.code
  }

  it.each([
    ['3578012511260001', '2026-11-25', 'born today'],
    ['3578012611260001', '1926-11-26', 'tomorrow in 2026 would be in the future'],
    ['3578010101270001', '1927-01-01', 'a year after this one'],
    ['3578010101000001', '2000-01-01', '00'],
    ['3578013112990001', '1999-12-31', '99'],
    ['3578010101250001', '2025-01-01', 'last year'],
  ])('%s on 2026-11-25 → %s (%s)', (nik, expected) => {
    expect(birthDateOf(nik, TODAY)).toBe(expected)
  })

  it('decides 29 February 00 by the resolved century: 2000 is a leap year, 1900 is not', () => {
    const nik = '3578012902000001'
    expect(birthDateOf(nik, new Date(2000, 1, 29))).toBe('2000-02-29')
    expect(birthDateOf(nik, new Date(2000, 1, 28))).toBe('nik_date')
    expect(birthDateOf(nik, new Date(1999, 11, 31))).toBe('nik_date')
  })

  it('reads today on the local calendar, not in UTC', () => {
    // Late on 25 November local time is still the 25th however far the machine is from UTC.
    expect(birthDateOf('3578012511260001', new Date(2026, 10, 25, 23, 59))).toBe('2026-11-25')
    expect(birthDateOf('3578012611260001', new Date(2026, 10, 26, 0, 1))).toBe('2026-11-26')
  })
})

describe('parseNik warnings', () => {
  const nik = '3578010101900001' // Surabaya, Karang Pilang; a man born 1 Jan 1990
  const regions: RegionLookup = {
    hasRegency: (code) => code === '35.78',
    hasDistrict: (code) => code === '35.78.01',
  }

  it('gives none for a plain NIK, and checks no region without a lookup', () => {
    expect(warningsOf(nik)).toEqual([])
    expect(warningsOf('3500990101900001')).toEqual([])
  })

  it('flags a regency or district missing from the region data, once', () => {
    expect(warningsOf(nik, { regions })).toEqual([])
    expect(warningsOf('3578090101900001', { regions })).toEqual(['district_unknown'])
    expect(warningsOf('3579010101900001', { regions })).toEqual(['regency_unknown'])
  })

  it('flags a typed birth date that differs, and ignores one that is not a date', () => {
    expect(warningsOf(nik, { typedBirthDate: '1990-01-01' })).toEqual([])
    expect(warningsOf(nik, { typedBirthDate: '1990-01-02' })).toEqual(['birth_date_differs'])
    expect(warningsOf(nik, { typedBirthDate: '2090-01-01' })).toEqual(['birth_date_differs'])
    expect(warningsOf(nik, { typedBirthDate: '1990-02-30' })).toEqual([])
    expect(warningsOf(nik, { typedBirthDate: '' })).toEqual([])
    expect(warningsOf(nik, { typedBirthDate: null })).toEqual([])
  })

  it('flags a typed sex that differs', () => {
    expect(warningsOf(nik, { typedSex: 'male' })).toEqual([])
    expect(warningsOf(nik, { typedSex: 'female' })).toEqual(['sex_differs'])
    expect(warningsOf('3578014101900001', { typedSex: 'male' })).toEqual(['sex_differs'])
  })

  it.each([
    ['3578012511080001', [], '18 today'],
    ['3578012611080001', ['age_out_of_range'], '18 tomorrow'],
    ['3578012611610001', [], '64, 65 tomorrow'],
    ['3578012511610001', ['age_out_of_range'], '65 today'],
    ['3578010101260001', ['age_out_of_range'], 'a baby'],
  ])('with the default range 18–64, %s → %j (%s)', (n, expected) => {
    expect(warningsOf(n)).toEqual(expected)
  })

  it('takes the programme age range from options', () => {
    const ageRange = { min: 15, max: 70 }
    expect(warningsOf('3578010101100001', { ageRange })).toEqual([]) // 16
    expect(warningsOf('3578010101560001', { ageRange })).toEqual([]) // 70
    expect(warningsOf('3578010101550001', { ageRange })).toEqual(['age_out_of_range']) // 71
    expect(warningsOf('3578010101120001', { ageRange })).toEqual(['age_out_of_range']) // 14
  })

  it('lists several warnings in a fixed order: region, typed date, typed sex, age', () => {
    expect(
      warningsOf('3579014101100001', { regions, typedBirthDate: '2010-01-02', typedSex: 'male' }),
    ).toEqual(['regency_unknown', 'birth_date_differs', 'sex_differs', 'age_out_of_range'])
  })
})

describe('regencyKind', () => {
  it.each([
    ['35.01', 'kabupaten'],
    ['35.69', 'kabupaten'],
    ['35.71', 'kota'],
    ['35.99', 'kota'],
    ['78', 'kota'],
    ['35.00', null],
    ['35.70', null],
    ['3578', null],
    ['35.7', null],
  ])('%s → %s', (code, kind) => {
    expect(regencyKind(code)).toBe(kind)
  })
})

describe('ageOn', () => {
  it('counts whole years on the local calendar day', () => {
    expect(ageOn('2008-11-25', TODAY)).toBe(18)
    expect(ageOn('2008-11-26', TODAY)).toBe(17)
    expect(ageOn('1990-01-01', TODAY)).toBe(36)
  })

  it('makes someone born on 29 February a year older on 1 March in common years', () => {
    expect(ageOn('2000-02-29', new Date(2018, 1, 28))).toBe(17)
    expect(ageOn('2000-02-29', new Date(2018, 2, 1))).toBe(18)
    expect(ageOn('2000-02-29', new Date(2020, 1, 29))).toBe(20)
  })

  it('returns null for something that is not a date', () => {
    expect(ageOn('2001-02-29', TODAY)).toBeNull()
    expect(ageOn('01-01-1990', TODAY)).toBeNull()
  })
})
