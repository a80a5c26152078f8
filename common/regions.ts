import { z } from 'zod'
import type { RegionLookup } from './nik'

/**
 * Indonesian administrative regions (Kemendagri codes) from idn-area-data, as compiled by
 * scripts/build-regions.mjs into resources/regions/regions.json. Pure: main reads the file and hands the parsed
 * JSON to createRegionIndex; nothing here touches the file system.
 *
 * The file stores each child under its parent with only its own last code segment ("01" under "35.78"), so the
 * index rebuilds full dotted codes ("35.78.01") once, up front, and every lookup after that is a Map hit.
 */

export const REGION_DATA_FORMAT = 'posko-regions/1'

const Name = z.string().min(1)
/** [own code segment, name] */
const Entry = (segment: RegExp) => z.tuple([z.string().regex(segment), Name])
const TwoDigits = /^\d{2}$/

/**
 * The compiled file. Parsing the 91 000 entries with this takes ~60 ms (plus ~40 ms for the index); main should do it
 * once at start-up (the file sits outside the asar, so it is worth checking) and keep the index.
 */
export const RegionData = z.strictObject({
  format: z.literal(REGION_DATA_FORMAT),
  source: z.strictObject({
    name: z.string(),
    version: z.string(),
    url: z.string(),
    codeLicense: z.string(),
    dataLicense: z.string(),
  }),
  provinces: z.array(Entry(TwoDigits)),
  regencies: z.record(z.string().regex(/^\d{2}$/), z.array(Entry(TwoDigits))),
  districts: z.record(z.string().regex(/^\d{2}\.\d{2}$/), z.array(Entry(TwoDigits))),
  villages: z.record(z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/), z.array(Entry(/^\d{4}$/))),
})
export type RegionData = z.infer<typeof RegionData>
export type RegionSource = RegionData['source']

export type RegionLevel = 'province' | 'regency' | 'district' | 'village'

export interface Region {
  /** Full dotted code: "35", "35.78", "35.78.01", "35.78.01.1001". */
  readonly code: string
  readonly name: string
}

export interface RegionIndex extends RegionLookup {
  readonly source: RegionSource
  province(code: string): Region | undefined
  regency(code: string): Region | undefined
  district(code: string): Region | undefined
  village(code: string): Region | undefined
  hasProvince(code: string): boolean
  hasVillage(code: string): boolean
  /**
   * The provinces (parent null), or the regencies, districts or villages directly under a code, sorted by name
   * for pick lists. Empty for an unknown code or a village. The returned array is shared and frozen.
   */
  children(parentCode: string | null): readonly Region[]
  /** The level a known code belongs to, from its shape; undefined if the code is not in the data. */
  levelOf(code: string): RegionLevel | undefined
  readonly counts: Readonly<Record<RegionLevel, number>>
}

/**
 * Indonesian collation, numbers compared as numbers ("Kecamatan 2" before "Kecamatan 10"); case and accents
 * ignored so the tie-break on code decides between names that differ only in them.
 */
const collator = new Intl.Collator('id', { numeric: true, sensitivity: 'base' })

function compareByName(a: Region, b: Region): number {
  return collator.compare(a.name, b.name) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
}

/** Each level's children keyed by the parent's full code; provinces under the key null. */
type Children = Map<string | null, Region[]>

function addLevel(groups: Record<string, ReadonlyArray<readonly [string, string]>>, byCode: Map<string, Region>, children: Children): void {
  for (const [parent, entries] of Object.entries(groups)) {
    const list = entries.map(([segment, name]): Region => Object.freeze({ code: `${parent}.${segment}`, name }))
    for (const region of list) byCode.set(region.code, region)
    children.set(parent, list)
  }
}

function classifyShape(code: string): RegionLevel | undefined {
  if (/^\d{2}$/.test(code)) return 'province'
  if (/^\d{2}\.\d{2}$/.test(code)) return 'regency'
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(code)) return 'district'
  if (/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code)) return 'village'
  return undefined
}

/**
 * Builds O(1) lookups over the compiled data. Assumes `data` has the RegionData shape (parse it first if it came
 * from disk). Sorting by name happens per parent on first request and is cached: a kiosk opens a handful of pick
 * lists per registration, and sorting all 7 285 village lists up front would slow start-up for nothing.
 */
export function createRegionIndex(data: RegionData): RegionIndex {
  const levels: Record<RegionLevel, Map<string, Region>> = {
    province: new Map(),
    regency: new Map(),
    district: new Map(),
    village: new Map(),
  }
  const unsorted: Children = new Map()
  const provinces = data.provinces.map(([code, name]): Region => Object.freeze({ code, name }))
  for (const region of provinces) levels.province.set(region.code, region)
  unsorted.set(null, provinces)
  addLevel(data.regencies, levels.regency, unsorted)
  addLevel(data.districts, levels.district, unsorted)
  addLevel(data.villages, levels.village, unsorted)

  const sorted = new Map<string | null, readonly Region[]>()
  const none: readonly Region[] = Object.freeze([])

  function children(parentCode: string | null): readonly Region[] {
    const cached = sorted.get(parentCode)
    if (cached) return cached
    const list = unsorted.get(parentCode)
    if (!list) return none
    const result = Object.freeze([...list].sort(compareByName))
    sorted.set(parentCode, result)
    return result
  }

  function levelOf(code: string): RegionLevel | undefined {
    const level = classifyShape(code)
    return level !== undefined && levels[level].has(code) ? level : undefined
  }

  return {
    source: Object.freeze({ ...data.source }),
    province: (code) => levels.province.get(code),
    regency: (code) => levels.regency.get(code),
    district: (code) => levels.district.get(code),
    village: (code) => levels.village.get(code),
    hasProvince: (code) => levels.province.has(code),
    hasRegency: (code) => levels.regency.has(code),
    hasDistrict: (code) => levels.district.has(code),
    hasVillage: (code) => levels.village.has(code),
    children,
    levelOf,
    counts: Object.freeze({
      province: levels.province.size,
      regency: levels.regency.size,
      district: levels.district.size,
      village: levels.village.size,
    }),
  }
}
