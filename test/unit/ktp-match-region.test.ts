import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRegionIndex, RegionData } from '../../common/regions'
import { matchHeader } from '../../main/services/ktp/match-region'

const regions = createRegionIndex(RegionData.parse(JSON.parse(readFileSync(resolve('resources/regions/regions.json'), 'utf8'))))
const codes = (province: string, regency: string) => {
  const found = matchHeader(regions, province, regency)
  return found && [found.province.code, found.regency.code]
}

/** Issue 20: the header as cards print it, which is not always how idn-area-data names the region. */
describe('the KTP header matched to region codes', () => {
  it('reads the short province names cards print (DKI, DI, the old NAD) as the data’s long ones', () => {
    expect(codes('PROVINSI DKI JAKARTA', 'JAKARTA SELATAN')).toEqual(['31', '31.74'])
    expect(codes('PROVINSI DKI JAKARTA', 'KOTA ADM. JAKARTA TIMUR')).toEqual(['31', '31.75'])
    expect(codes('PROVINSI DKl JAKARTA', 'KEPULAUAN SERIBU')).toEqual(['31', '31.01'])
    expect(codes('PROVINSI DAERAH ISTIMEWA YOGYAKARTA', 'KOTA YOGYAKARTA')).toEqual(['34', '34.71'])
    expect(codes('PROVINSI DI YOGYAKARTA', 'KABUPATEN SLEMAN')).toEqual(['34', '34.04'])
    expect(codes('PROVINSI NANGGROE ACEH DARUSSALAM', 'KOTA BANDA ACEH')).toEqual(['11', '11.71'])
    expect(codes('PROVINSI JAWA TIMUR', 'KOTA SURABAYA')).toEqual(['35', '35.78'])
  })

  it('still refuses what it cannot tell apart: the printed kind decides between a regency and a city of one name', () => {
    expect(codes('PROVINSI JAWA TIMUR', 'KABUPATEN MALANG')).toEqual(['35', '35.07'])
    expect(codes('PROVINSI JAWA TIMUR', 'KOTA MALANG')).toEqual(['35', '35.73'])
    expect(codes('PROVINSI DKI JAKARTA', 'KOTA SURABAYA')).toBeNull()
    expect(codes('PROVINSI ANTAH BERANTAH', 'KOTA SURABAYA')).toBeNull()
  })
})
