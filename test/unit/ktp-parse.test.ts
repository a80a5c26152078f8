import { describe, expect, it } from 'vitest'
import type { OcrLine } from '../../main/services/ktp/tesseract'
import { cleanName, parseDate, parseKtp } from '../../main/services/ktp/parse'

const line = (text: string, confidence = 90): OcrLine => ({
  text,
  confidence,
  words: text.split(/\s+/).filter(Boolean).map((w) => ({ text: w, confidence })),
  symbols: [...text.replace(/\s+/g, '')].map((c) => ({ text: c, confidence })),
})

const fields = (texts: string[]) => texts.map((t) => line(t))

describe('parsing the KTP bands as Tesseract returns them', () => {
  it('reads a clean card', () => {
    const raw = parseKtp({
      header: fields(['PROVINSI JAWA TIMUR', 'KOTA SURABAYA']),
      nik: [[line('3578015708950012')], [line('3578015708950012')]],
      fields: fields(['SITI RAHAYU', 'SURABAYA, 17-08-1995', 'PEREMPUAN Gol. Darah : O', 'JL. MAWAR NO. 12', '005/001', 'KEBRAON', 'KARANG PILANG']),
    })
    expect(raw).toMatchObject({
      province: { value: 'JAWA TIMUR' },
      regency: { value: 'KOTA SURABAYA' },
      nikReads: [{ value: '3578015708950012' }, { value: '3578015708950012' }],
      name: { value: 'SITI RAHAYU' },
      birthPlace: { value: 'SURABAYA' },
      birthDate: { value: '1995-08-17' },
      sex: { value: 'female' },
      street: { value: 'JL. MAWAR NO. 12' },
      rt: { value: '5' },
      rw: { value: '1' },
      village: { value: 'KEBRAON' },
      district: { value: 'KARANG PILANG' },
    })
  })

  it('takes the line under the province as the regency when it names no kind (Jakarta: "JAKARTA SELATAN")', () => {
    const raw = parseKtp({ header: fields(['PROVINSI DKI JAKARTA', 'JAKARTA SELATAN']), nik: [], fields: [] })
    expect(raw).toMatchObject({ province: { value: 'DKI JAKARTA' }, regency: { value: 'JAKARTA SELATAN' } })
  })

  it('repairs confusions by field type and strips what the colon leaves', () => {
    const raw = parseKtp({
      header: fields(['PR0VINSI JAWA TIMUR', 'KOTA SURABAYA']),
      nik: [[line('357801S7O895OO12')]],
      fields: fields([': S1TI RAHAYU', '© SURABAYA, 17-O8-I995', ': LAKI-LAKl Gol. Darah : -', '* JL. MAWAR NO. 12', ': 005010', 'Cc KEBRAON', ': KARANG PILANG']),
    })
    expect(raw.nikReads.map((r) => r.value)).toEqual(['3578015708950012'])
    expect(raw.name?.value).toBe('SITI RAHAYU')
    expect(raw.birthDate?.value).toBe('1995-08-17')
    expect(raw.sex?.value).toBe('male')
    expect([raw.rt?.value, raw.rw?.value]).toEqual(['5', '10'])
    expect(raw.village?.value).toBe('KEBRAON')
    expect(raw.province?.value).toBe('JAWA TIMUR')
  })

  it('finds the lines by the date line when Tesseract dropped the name line', () => {
    const raw = parseKtp({ header: [], nik: [], fields: fields(['SURABAYA, 17-08-1995', 'PEREMPUAN', 'JL. MAWAR NO. 12', '005/001', 'KEBRAON', 'KARANG PILANG']) })
    expect(raw.name).toBeNull()
    expect(raw.birthDate?.value).toBe('1995-08-17')
    expect(raw.district?.value).toBe('KARANG PILANG')
  })

  it('gives nothing for what it cannot be sure of', () => {
    expect(parseDate('31-02-1995')).toBeNull()
    expect(parseDate('17-13-1995')).toBeNull()
    expect(parseDate('SURABAYA')).toBeNull()
    expect(cleanName('SITI #RAHAYU')).toBeNull()
    const raw = parseKtp({ header: [], nik: [[line('35780')]], fields: fields(['SITI', 'SURABAYA, 17-08-1995', 'KAWIN', 'X']) })
    expect(raw.nikReads).toEqual([])
    expect(raw.sex).toBeNull()
  })
})
