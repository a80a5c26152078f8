import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseNik, PROVINCE_CODES, regencyKind } from '../../common/nik'
import { createRegionIndex, RegionData } from '../../common/regions'
// @ts-expect-error plain ESM build script without types
import { compileRegions, OUTPUT_PATH, parseCsv, readInstalledSource } from '../../scripts/build-regions.mjs'

const committedPath = join(process.cwd(), 'resources', 'regions', 'regions.json')
const committed = readFileSync(committedPath, 'utf8')
const data = RegionData.parse(JSON.parse(committed))
const index = createRegionIndex(data)

/** The same collation the index uses, to check order independently of its cache. */
const collator = new Intl.Collator('id', { numeric: true, sensitivity: 'base' })

describe('the committed region file', () => {
  it('is exactly what scripts/build-regions.mjs makes from the installed idn-area-data', () => {
    expect(OUTPUT_PATH).toBe(committedPath)
    const rebuilt: string = compileRegions(readInstalledSource())
    // Compared as bytes so an encoding or line-ending change shows up too.
    expect(Buffer.from(rebuilt, 'utf8').equals(readFileSync(committedPath))).toBe(true)
  })

  it('records where it came from and under which licences', () => {
    expect(index.source).toEqual({
      name: 'idn-area-data',
      version: expect.stringMatching(/^4\./),
      url: 'https://github.com/fityannugroho/idn-area-data',
      codeLicense: 'MIT',
      dataLicense: 'ODbL-1.0',
    })
  })

  it('holds 38 provinces, 514 regencies and cities, 7,285 districts and 83,762 villages', () => {
    expect(index.counts).toEqual({ province: 38, regency: 514, district: 7285, village: 83762 })
  })

  it('has the same provinces nik.ts accepts, the 2022 Papua splits included', () => {
    expect(new Set(data.provinces.map(([code]) => code))).toEqual(PROVINCE_CODES)
    expect(['93', '94', '95', '96'].map((code) => index.province(code)?.name)).toEqual([
      'Papua Selatan',
      'Papua Tengah',
      'Papua Pegunungan',
      'Papua Barat Daya',
    ])
  })

  it('gives East Java its 38 regencies and cities: 29 kabupaten, 9 kota', () => {
    const eastJava = index.children('35')
    expect(eastJava).toHaveLength(38)
    expect(eastJava.filter((r) => regencyKind(r.code) === 'kabupaten')).toHaveLength(29)
    expect(eastJava.filter((r) => regencyKind(r.code) === 'kota')).toHaveLength(9)
  })

  it('agrees with the kabupaten 01–69 / kota 71–99 numbering for every regency', () => {
    const regencies = [...index.children(null)].flatMap((province) => index.children(province.code))
    expect(regencies).toHaveLength(514)
    for (const regency of regencies) {
      const expected = regency.name.startsWith('Kabupaten ') ? 'kabupaten' : regency.name.startsWith('Kota ') ? 'kota' : null
      expect([regency.code, regencyKind(regency.code)]).toEqual([regency.code, expected])
    }
  })

  it('keeps names exactly as published, quotes and commas included', () => {
    expect(index.district('35.29.22')?.name).toBe('Ra"as')
    expect(index.village('12.07.28.1007')?.name).toBe('Lubuk Pakam I,II')
    expect(index.village('14.02.09.2010')?.name).toBe('Lambang Sari I, II, III')
  })
})

describe('createRegionIndex lookups', () => {
  it('finds a region by its full dotted code at each level', () => {
    expect(index.province('35')).toEqual({ code: '35', name: 'Jawa Timur' })
    expect(index.regency('35.78')).toEqual({ code: '35.78', name: 'Kota Surabaya' })
    expect(index.district('35.78.01')).toEqual({ code: '35.78.01', name: 'Karang Pilang' })
    expect(index.village('11.01.01.2001')).toEqual({ code: '11.01.01.2001', name: 'Keude Bakongan' })
    expect(index.regency('31.01')).toEqual({ code: '31.01', name: 'Kabupaten Administrasi Kepulauan Seribu' })
  })

  it('finds nothing for an unknown code or a code of another level', () => {
    expect(index.province('20')).toBeUndefined()
    expect(index.regency('35.99')).toBeUndefined()
    expect(index.district('35.78')).toBeUndefined()
    expect(index.village('35.78.01')).toBeUndefined()
    expect(index.province('3578')).toBeUndefined()
    expect(index.regency('')).toBeUndefined()
  })

  it('answers has… and levelOf consistently with the lookups', () => {
    expect([index.hasProvince('35'), index.hasRegency('35.78'), index.hasDistrict('35.78.01'), index.hasVillage('11.01.01.2001')]).toEqual([true, true, true, true])
    expect([index.hasProvince('35.78'), index.hasRegency('35'), index.hasDistrict('35.78.99'), index.hasVillage('11.01.01.9999')]).toEqual([false, false, false, false])
    expect(['35', '35.78', '35.78.01', '11.01.01.2001', '35.99', 'x'].map((code) => index.levelOf(code))).toEqual([
      'province',
      'regency',
      'district',
      'village',
      undefined,
      undefined,
    ])
  })
})

describe('createRegionIndex children', () => {
  it('lists every parent’s children sorted by name, each nested under its parent', () => {
    const parents: Array<string | null> = [null, ...Object.keys(data.regencies), ...Object.keys(data.districts), ...Object.keys(data.villages)]
    // Collected rather than asserted one by one: 91 000 expect() calls would dominate the suite's time.
    const problems: string[] = []
    let total = 0
    for (const parent of parents) {
      const list = index.children(parent)
      total += list.length
      if (list.length === 0) problems.push(`${parent}: no children`)
      list.forEach((child, i) => {
        const before = list[i - 1]
        if (before && collator.compare(before.name, child.name) > 0) problems.push(`${parent}: ${before.name} before ${child.name}`)
        if (parent !== null && !child.code.startsWith(`${parent}.`)) problems.push(`${child.code} under ${parent}`)
      })
    }
    expect(problems).toEqual([])
    expect(total).toBe(38 + 514 + 7285 + 83762)
  })

  it('starts the province list with Aceh and Bali, and sorts numbers in names as numbers', () => {
    expect(index.children(null).slice(0, 2).map((r) => r.name)).toEqual(['Aceh', 'Bali'])
    const names = ['Kota 2', 'Kota 10', 'Kota 1'].map((name, i) => [String(i + 1).padStart(2, '0'), name] as [string, string])
    const tiny = createRegionIndex({ ...data, provinces: [['11', 'Aceh']], regencies: { '11': names }, districts: {}, villages: {} })
    expect(tiny.children('11').map((r) => r.name)).toEqual(['Kota 1', 'Kota 2', 'Kota 10'])
  })

  it('gives an empty list for a village, an unknown code or nonsense', () => {
    expect(index.children('11.01.01.2001')).toEqual([])
    expect(index.children('99')).toEqual([])
    expect(index.children('not a code')).toEqual([])
  })

  it('returns the same frozen list each time, so a caller cannot reorder the cache', () => {
    const list = index.children('35')
    expect(index.children('35')).toBe(list)
    expect(Object.isFrozen(list)).toBe(true)
    expect(Object.isFrozen(list[0])).toBe(true)
  })
})

describe('RegionData schema', () => {
  it('refuses a file of another format or with a malformed code', () => {
    const raw = JSON.parse(committed) as Record<string, unknown>
    expect(RegionData.safeParse({ ...raw, format: 'posko-regions/2' }).success).toBe(false)
    expect(RegionData.safeParse({ ...raw, provinces: [['1', 'Aceh']] }).success).toBe(false)
    expect(RegionData.safeParse({ ...raw, villages: { '11.01.01': [['201', 'X']] } }).success).toBe(false)
    expect(RegionData.safeParse({ ...raw, regencies: { '11': [['01', '']] } }).success).toBe(false)
  })
})

describe('the region index as parseNik’s lookup', () => {
  it('gives no region warning for a NIK issued in Surabaya', () => {
    const result = parseNik('3578010101900001', { regions: index, today: new Date(2026, 10, 25) })
    expect(result).toMatchObject({ ok: true, warnings: [] })
  })

  it('warns, never refuses, for a NIK issued in Merauke before Papua Selatan took its regencies (91.01 → 93.01)', () => {
    const result = parseNik('9101010101900001', { regions: index, today: new Date(2026, 10, 25) })
    expect(result).toMatchObject({ ok: true, warnings: [{ code: 'regency_unknown' }] })
    expect(index.regency('93.01')?.name).toBe('Kabupaten Merauke')
  })

  it('warns about a district the data does not have', () => {
    const result = parseNik('3578990101900001', { regions: index, today: new Date(2026, 10, 25) })
    expect(result).toMatchObject({ ok: true, warnings: [{ code: 'district_unknown' }] })
  })
})

describe('scripts/build-regions.mjs', () => {
  const csv = {
    provinces: 'code,name\n11,Aceh\n',
    regencies: 'code,province_code,name\n11.01,11,Kabupaten Aceh Selatan\n',
    districts: 'code,regency_code,name\n11.01.01,11.01,Bakongan\n',
    villages: 'code,district_code,name\n11.01.01.2001,11.01.01,"Keude ""Bakongan"", I"\n',
  }
  const compile = (overrides: Partial<typeof csv>): string => compileRegions({ version: '0.0.0', csv: { ...csv, ...overrides } })

  it('parses RFC 4180 CSV: quoted commas, doubled quotes, CRLF, no final newline', () => {
    expect(parseCsv('a,b\r\n"x,1","say ""hi"""\r\n,last')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"'],
      ['', 'last'],
    ])
  })

  it('compiles a tiny source to the compact form, names untouched', () => {
    const out = JSON.parse(compile({})) as RegionData
    expect(RegionData.parse(out)).toMatchObject({
      provinces: [['11', 'Aceh']],
      regencies: { '11': [['01', 'Kabupaten Aceh Selatan']] },
      districts: { '11.01': [['01', 'Bakongan']] },
      villages: { '11.01.01': [['2001', 'Keude "Bakongan", I']] },
    })
  })

  it('refuses source data the compact form could not hold faithfully', () => {
    expect(() => compile({ regencies: 'code,province_code,name\n11.01,12,Kabupaten Aceh Selatan\n' })).toThrow(/not the prefix/)
    expect(() => compile({ districts: 'code,regency_code,name\n11.02.01,11.02,Bakongan\n' })).toThrow(/unknown parent/)
    expect(() => compile({ provinces: 'code,name\n11,Aceh\n11,Aceh lagi\n' })).toThrow(/duplicate/)
    expect(() => compile({ provinces: 'kode,nama\n11,Aceh\n' })).toThrow(/header/)
    expect(() => compile({ villages: 'code,district_code,name\n11.01.01.201,11.01.01,X\n' })).toThrow(/bad code/)
    expect(() => compile({ villages: 'code,district_code,name\n11.01.01.2001,11.01.01,\n' })).toThrow(/empty name/)
  })

  it('does not depend on the order of upstream rows', () => {
    const two = 'code,name\n12,Sumatera Utara\n11,Aceh\n'
    const sorted = 'code,name\n11,Aceh\n12,Sumatera Utara\n'
    expect(compile({ provinces: two })).toBe(compile({ provinces: sorted }))
  })
})
