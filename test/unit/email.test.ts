import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkEmail, COMMON_EMAIL_DOMAINS, editDistance, suggestDomain } from '../../common/email'

describe('checkEmail syntax', () => {
  it('trims and lower-cases a valid address', () => {
    expect(checkEmail('  Budi.Santoso@Gmail.COM ')).toEqual({ ok: true, value: 'budi.santoso@gmail.com' })
  })

  it.each([
    'budi@kemnaker.go.id',
    'siti_aminah+posko@yahoo.co.id',
    'a.b-c@mail.ugm.ac.id',
    "o'neil@example.org",
    'x@sub-domain.example.co.id',
  ])('accepts %s', (input) => {
    expect(checkEmail(input)).toMatchObject({ ok: true, value: input })
  })

  it.each([
    '',
    '   ',
    'budi',
    'budi@',
    '@gmail.com',
    'budi@gmail',
    'budi@@gmail.com',
    'budi gunawan@gmail.com',
    'budi@gmail..com',
    '.budi@gmail.com',
    'budi.@gmail.com',
    'budi@gmail,com',
    'budi@-gmail.com',
    'budi@gmail.c',
    'búdi@gmail.com',
    `${'a'.repeat(250)}@gmail.com`,
  ])('refuses %j', (input) => {
    expect(checkEmail(input)).toEqual({ ok: false })
  })
})

describe('checkEmail suggestions', () => {
  it.each([
    ['budi@gmial.com', 'budi@gmail.com'],
    ['budi@gmail.co', 'budi@gmail.com'],
    ['budi@gmai.com', 'budi@gmail.com'],
    ['budi@gmail.con', 'budi@gmail.com'],
    ['budi@gnail.com', 'budi@gmail.com'],
    ['budi@gmaill.com', 'budi@gmail.com'],
    ['budi@gamil.com', 'budi@gmail.com'],
    ['budi@gmail.co.id', 'budi@gmail.com'],
    ['budi@hmail.com', 'budi@gmail.com'],
    ['budi@yaho.com', 'budi@yahoo.com'],
    ['budi@yahooo.com', 'budi@yahoo.com'],
    ['budi@yhaoo.com', 'budi@yahoo.com'],
    ['budi@yahoo.co.od', 'budi@yahoo.co.id'],
    ['budi@yahoo.co.di', 'budi@yahoo.co.id'],
    ['budi@yaho.co.id', 'budi@yahoo.co.id'],
    ['budi@yahoo.coid', 'budi@yahoo.co.id'],
    ['budi@ymail.co', 'budi@ymail.com'],
    ['budi@ymial.com', 'budi@ymail.com'],
    ['budi@hotmial.com', 'budi@hotmail.com'],
    ['budi@hotmai.com', 'budi@hotmail.com'],
    ['budi@outlok.com', 'budi@outlook.com'],
    ['budi@outlook.co', 'budi@outlook.com'],
    ['budi@icloud.co', 'budi@icloud.com'],
    ['Budi@GMIAL.com', 'budi@gmail.com'],
  ])('%s → did you mean %s?', (input, suggestion) => {
    const result = checkEmail(input)
    expect(result).toEqual({ ok: true, value: input.toLowerCase(), suggestion })
  })

  it.each([
    ...COMMON_EMAIL_DOMAINS.map((domain) => `budi@${domain}`),
    'budi@ui.ac.id',
    'budi@kemnaker.go.id',
    'budi@posko.id',
    'budi@perusahaan.co.id',
    'budi@example.org',
    'budi@me.co.uk',
  ])('%s gets no suggestion', (input) => {
    expect(checkEmail(input)).toEqual({ ok: true, value: input })
  })

  it('never suggests an address that would itself fail or need another suggestion', () => {
    const domains = fc.oneof(
      fc.constantFrom(...COMMON_EMAIL_DOMAINS),
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz.'), minLength: 3, maxLength: 14 }),
    )
    fc.assert(
      fc.property(fc.constantFrom('budi', 'siti.aminah', 'x_1'), domains, (local, domain) => {
        const result = checkEmail(`${local}@${domain}`)
        if (!result.ok || result.suggestion === undefined) return
        expect(checkEmail(result.suggestion)).toEqual({ ok: true, value: result.suggestion })
      }),
      { numRuns: 2000 },
    )
  })

  it('is idempotent: checking the normalised value gives the same value', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '\t'), (email, space) => {
        const first = checkEmail(`${space}${email.toUpperCase()}${space}`)
        if (!first.ok) return
        expect(checkEmail(first.value)).toEqual(first)
      }),
    )
  })
})

describe('suggestDomain', () => {
  it('gives less slack to short domains', () => {
    expect(suggestDomain('me.co')).toBe('me.com')
    expect(suggestDomain('a.co')).toBeUndefined()
    expect(suggestDomain('mx.co')).toBeUndefined()
  })

  it('prefers the more common domain on a tie', () => {
    expect(editDistance('hmail.com', 'gmail.com')).toBe(editDistance('hmail.com', 'ymail.com'))
    expect(suggestDomain('hmail.com')).toBe('gmail.com')
  })
})

describe('editDistance (Damerau–Levenshtein, optimal string alignment)', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['gmail', 'gmail', 0],
    ['gmial', 'gmail', 1],
    ['gmail.co', 'gmail.com', 1],
    ['yahoo.co.di', 'yahoo.co.id', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ] as const)('%j ↔ %j = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
  })

  it('is symmetric and zero only between equal strings', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abgilmo.'), maxLength: 10 })
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a))
        expect(editDistance(a, b) === 0).toBe(a === b)
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length))
      }),
    )
  })

  it('gives the exact distance up to the limit and limit + 1 beyond it', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abgilmo.'), maxLength: 10 })
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
        expect(editDistance(a, b, limit)).toBe(Math.min(editDistance(a, b), limit + 1))
      }),
    )
  })
})
