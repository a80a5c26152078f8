import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRegionIndex, RegionData } from '../../common/regions'
import type { Decision } from '../../main/services/ktp/consistency'
import { decide } from '../../main/services/ktp/consistency'
import type { RawKtp } from '../../main/services/ktp/parse'
import { vote } from '../../main/services/ktp/read'
import type { KtpFields } from '../../common/ktp'
import { scanComplete } from '../../common/ktp'

const regions = createRegionIndex(RegionData.parse(JSON.parse(readFileSync(resolve('resources/regions/regions.json'), 'utf8'))))
const today = new Date('2026-12-06T00:00:00')
const sure = <T>(value: T) => ({ value, confidence: 95 })

/** A woman born 17 Aug 1995, Kota Surabaya (35.78), Kecamatan Karang Pilang (35.78.01), Kelurahan Kebraon. */
function card(overrides: Partial<RawKtp> = {}): RawKtp {
  return {
    province: sure('JAWA TIMUR'),
    regency: sure('KOTA SURABAYA'),
    nikReads: [sure('3578015708950012'), sure('3578015708950012')],
    name: sure('SITI RAHAYU'),
    birthPlace: sure('SURABAYA'),
    birthDate: sure('1995-08-17'),
    sex: sure('female' as const),
    street: sure('JL. MAWAR NO. 12'),
    rt: sure('5'),
    rw: sure('1'),
    village: sure('KEBRAON'),
    district: sure('KARANG PILANG'),
    ...overrides,
  }
}

describe('the KTP consistency rules: a read that disagrees with itself is never offered', () => {
  it('offers a NIK that passes the rules and agrees with the printed birth date, sex and header', () => {
    const { fields, refused } = decide(card(), regions, today)
    expect(fields).toMatchObject({ nik: '3578015708950012', birthDate: '1995-08-17', sex: 'female', fullName: 'SITI RAHAYU', provinceCode: '35', regencyCode: '35.78' })
    expect(refused.nik).toBeUndefined()
  })

  it.each([
    ['a birth date that differs from the NIK (a misread digit in DDMMYY)', { birthDate: sure('1995-08-18') }, 'nik_birth_date_differs'],
    ['no readable birth date', { birthDate: null }, 'nik_birth_date_differs'],
    ['a printed sex that differs from the NIK (day + 40)', { sex: sure('male' as const) }, 'nik_sex_differs'],
    ['a NIK from another regency than the header', { nikReads: [sure('3573015708950012'), sure('3573015708950012')] }, 'nik_region_differs'],
    ['a header that matches no regency', { regency: sure('KOTA ATLANTIS') }, 'nik_region_differs'],
    ['a NIK breaking the rules (serial 0000)', { nikReads: [sure('3578015708950000'), sure('3578015708950000')] }, 'nik_rules'],
    ['a 15-digit read', { nikReads: [sure('357801570895001'), sure('357801570895001')] }, 'nik_rules'],
    ['a weak digit', { nikReads: [{ value: '3578015708950012', confidence: 30 }, { value: '3578015708950012', confidence: 30 }] }, 'low_confidence'],
    ['a 17-digit read with a digit inserted inside the NIK', { nikReads: [sure('35780157089500127'), sure('35780157089500127')] }, 'nik_rules'],
    ['a second read of the line that gives another number (one serial digit)', { nikReads: [sure('3578015708950012'), sure('3578015708950013')] }, 'reads_disagree'],
    ['three reads, three numbers', { nikReads: [sure('3578015708950012'), sure('3578015708950013'), sure('3578015708950014')] }, 'reads_disagree'],
    ['a single read', { nikReads: [sure('3578015708950012')] }, 'reads_disagree'],
    ['no read', { nikReads: [] }, 'unreadable'],
  ] as const)('refuses the NIK, birth date and sex for %s', (_label, overrides, reason) => {
    const { fields, refused } = decide(card(overrides as Partial<RawKtp>), regions, today)
    expect(fields.nik).toBeUndefined()
    expect(fields.birthDate).toBeUndefined()
    expect(fields.sex).toBeUndefined()
    expect(refused.nik).toBe(reason)
  })

  it('takes a 17-digit read whose first digit is the colon read as a 1, only when the rest checks out', () => {
    expect(decide(card({ nikReads: [sure('13578015708950012'), sure('3578015708950012')] }), regions, today).fields.nik).toBe('3578015708950012')
  })

  it('takes the number two of three reads agree on', () => {
    const reads = [sure('3578015708950012'), sure('3578015708950013'), sure('3578015708950012')]
    expect(decide(card({ nikReads: reads }), regions, today).fields.nik).toBe('3578015708950012')
  })

  it('leaves a weakly read name out, and keeps religion and marital status out of every answer', () => {
    const { fields, refused } = decide(card({ name: { value: 'SITI RAHAYU', confidence: 20 } }), regions, today)
    expect(fields.fullName).toBeUndefined()
    expect(refused.fullName).toBe('low_confidence')
    expect(Object.keys(fields).sort()).toEqual(
      ['birthDate', 'birthPlace', 'districtCode', 'nik', 'provinceCode', 'regencyCode', 'rt', 'rw', 'sex', 'street', 'villageCode'].sort(),
    )
  })

  it('offers a weakly read name only when the name line read again alone gives the same name', () => {
    const weak = { value: 'SITI RAHAYU', confidence: 20 }
    expect(decide(card({ name: weak, nameAgain: { value: 'SITI RAHAYU', confidence: 30 } }), regions, today).fields.fullName).toBe('SITI RAHAYU')
    // The same name, but the second read itself too weak.
    expect(decide(card({ name: weak, nameAgain: { value: 'SITI RAHAYU', confidence: 10 } }), regions, today).refused.fullName).toBe('low_confidence')
    // One letter apart: neither is offered, however sure the second read is.
    const slip = decide(card({ name: weak, nameAgain: sure('SITI RAHAYY') }), regions, today)
    expect(slip.fields.fullName).toBeUndefined()
    expect(slip.refused.fullName).toBe('reads_disagree')
    // No second read (the line gave nothing): a weak name stays out.
    expect(decide(card({ name: weak, nameAgain: null }), regions, today).fields.fullName).toBeUndefined()
  })

  it('withholds a confidently read name that the second read of the line contradicts', () => {
    const { fields, refused } = decide(card({ name: sure('RATNA LESTARY'), nameAgain: sure('RATNA LESTARI') }), regions, today)
    expect(fields.fullName).toBeUndefined()
    expect(refused.fullName).toBe('reads_disagree')
    // A second read that found no name neither confirms nor contradicts.
    expect(decide(card({ name: sure('RATNA LESTARI'), nameAgain: null }), regions, today).fields.fullName).toBe('RATNA LESTARI')
    expect(decide(card({ name: sure('RATNA LESTARI'), nameAgain: { value: 'RATNA LESTARI', confidence: 5 } }), regions, today).fields.fullName).toBe('RATNA LESTARI')
  })

  it('matches kecamatan and kelurahan by name under the header regency, smudges and spacing forgiven', () => {
    const { fields } = decide(card({ district: sure('KARANG P1LANG'), village: sure('KEBRA0N') }), regions, today)
    expect(fields.districtCode).toBe('35.78.01')
    expect(fields.villageCode).toBe('35.78.01.1002')
  })

  it('offers no kecamatan that is not under the header regency, and no kelurahan then', () => {
    const { fields, refused } = decide(card({ district: sure('CIPUTAT') }), regions, today)
    expect(fields.districtCode).toBeUndefined()
    expect(fields.villageCode).toBeUndefined()
    expect(refused.districtCode).toBe('no_match')
  })
})

describe('frames vote', () => {
  const one = (fields: Decision['fields']): Decision => ({ fields, refused: {} })

  it('offers what frames agree on, and what one frame read while others could not', () => {
    const voted = vote([one({ nik: '3578015708950012', birthDate: '1995-08-17', sex: 'female', fullName: 'SITI' }), one({ fullName: 'SITI' })])
    expect(voted.fields).toEqual({ nik: '3578015708950012', birthDate: '1995-08-17', sex: 'female', fullName: 'SITI' })
  })

  it('withdraws a field the frames disagree on, and the birth data with a withdrawn NIK', () => {
    const voted = vote([
      one({ nik: '3578015708950012', birthDate: '1995-08-17', sex: 'female', fullName: 'SITI' }),
      one({ nik: '3578015708950013', birthDate: '1995-08-17', sex: 'female', fullName: 'SITI' }),
    ])
    expect(voted.fields).toEqual({ fullName: 'SITI' })
    expect(voted.refused).toMatchObject({ nik: 'frames_disagree', birthDate: 'frames_disagree', sex: 'frames_disagree' })
  })
})

describe('the scan stops', () => {
  const reading = (fields: KtpFields, frames: number) => ({ cardFound: true, fields, frames })

  it('when two frames agree on the NIK, or after four frames, never before a card', () => {
    expect(scanComplete(reading({ nik: '3578015708950012' }, 2))).toBe(true)
    expect(scanComplete(reading({ nik: '3578015708950012', fullName: 'SITI' }, 1))).toBe(false)
    expect(scanComplete(reading({ fullName: 'SITI' }, 3))).toBe(false)
    expect(scanComplete(reading({}, 4))).toBe(true)
    expect(scanComplete({ cardFound: false, fields: {}, frames: 4 })).toBe(false)
  })
})
