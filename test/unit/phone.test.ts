import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isIndonesianLandline, normaliseMobile } from '../../common/phone'
import { MobilePhone } from '../../common/registration'

describe('normaliseMobile accepts Indonesian mobile numbers however they are written', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['(0812) 3456 7890', '+6281234567890'],
    ['  081234567890  ', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['+62-812-3456-7890', '+6281234567890'],
    ['+62 0812 3456 7890', '+6281234567890'],
    ['+62 (0)812 3456 7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['62 812-3456-7890', '+6281234567890'],
    ['81234567890', '+6281234567890'],
    ['0811 111 111', '+62811111111'],
    ['0852 1234 5678', '+6285212345678'],
    ['0856 1234 567', '+628561234567'],
    ['0877 1234 5678', '+6287712345678'],
    ['0896 1234 5678', '+6289612345678'],
    ['0881 2345 6789', '+6288123456789'],
  ])('%j → %s', (input, e164) => {
    expect(normaliseMobile(input)).toBe(e164)
  })
})

describe('normaliseMobile refuses everything else', () => {
  it.each([
    ['021-5551234', 'a Jakarta landline'],
    ['(021) 5551-2345', 'a Jakarta landline in brackets'],
    ['+62 21 5551 2345', 'a landline in international form'],
    ['0274 123456', 'a Yogyakarta landline'],
    ['0361 234567', 'a Denpasar landline'],
    ['+65 9123 4567', 'a Singapore mobile'],
    ['+60 12-345 6789', 'a Malaysian mobile'],
    ['+1 202 555 0123', 'a US number'],
    ['08123456', 'too short'],
    ['0812345678901234', 'too long'],
    ['0812 3456 7890 ext 12', 'an extension'],
    ['tel:+6281234567890', 'a tel: URI'],
    ['0812-3456-7890 call me', 'trailing words'],
    ['0812ABCD7890', 'letters'],
    ['++6281234567890', 'two plus signs'],
    ['0812+34567890', 'a plus inside'],
    ['0062 812 3456 7890', '00 as an international prefix (Indonesia dials 001/007/008/009)'],
    ['０８１２３４５６７８９０', 'full-width digits'],
    ['0812 3456 7890'.padEnd(41, ' ') + '1', 'longer than any real input'],
    ['', 'empty'],
    ['   ', 'blank'],
  ])('%j (%s)', (input) => {
    expect(normaliseMobile(input)).toBeNull()
  })
})

describe('normaliseMobile properties', () => {
  const separators = fc.constantFrom('', '', ' ', '-', '.')

  it('gives the same E.164 for any spacing of the same number', () => {
    const digits = '081234567890'
    fc.assert(
      fc.property(fc.array(separators, { minLength: digits.length, maxLength: digits.length }), (seps) => {
        const typed = [...digits].map((d, i) => d + seps[i]).join('')
        expect(normaliseMobile(typed)).toBe('+6281234567890')
      }),
    )
  })

  it('is idempotent on its own output, and its output is always +628…', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: fc.constantFrom(...'0123456789 +-.()'), maxLength: 20 })), (input) => {
        const e164 = normaliseMobile(input)
        if (e164 === null) return
        expect(e164).toMatch(/^\+628\d{7,11}$/)
        expect(normaliseMobile(e164)).toBe(e164)
      }),
      { numRuns: 2000 },
    )
  })

  it('accepts 08 + a mobile prefix + 7–8 more digits the same way in all three spellings', () => {
    const mobile = fc
      .tuple(fc.constantFrom('811', '812', '813', '821', '822', '852', '853', '855', '856', '857', '858', '877', '878', '881', '895', '896'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 7, maxLength: 8 }))
      .map(([prefix, rest]) => prefix + rest)
    fc.assert(
      fc.property(mobile, (national) => {
        const e164 = normaliseMobile(`0${national}`)
        expect(e164).toBe(`+62${national}`)
        expect(normaliseMobile(`+62${national}`)).toBe(e164)
        expect(normaliseMobile(`62${national}`)).toBe(e164)
      }),
    )
  })
})

describe('a landline is told apart, so the applicant hears why (issue 19.9)', () => {
  it('knows Indonesian landlines as libphonenumber\'s full metadata classes them, and nothing else', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/max')
    const samples = ['021-5551234', '0274 512345', '(031) 5678901', '+62 21 5551234', '62 61 4567890', '0361-234567', '0812 3456 7890', '+62 813 1111 2222', '0800 1234567', '1500123', '112', '', 'abc', '0000']
    for (const text of samples) {
      const parsed = parsePhoneNumberFromString(text, 'ID')
      const landline = parsed?.isValid() === true && parsed.getType() === 'FIXED_LINE'
      expect(isIndonesianLandline(text), text).toBe(landline)
    }
  })

  it('an empty number is "Wajib diisi.", a landline gets its own message, anything else the general one', () => {
    const message = (phone: string) => MobilePhone.safeParse(phone).error?.issues.map((i) => i.message)
    expect(message('')).toEqual(['validation.required'])
    expect(message('   ')).toEqual(['validation.required'])
    expect(message('021-5551234')).toEqual(['validation.phone_landline'])
    expect(message('0812')).toEqual(['validation.phone'])
    expect(message('0812 3456 7890')).toBeUndefined()
  })
})
