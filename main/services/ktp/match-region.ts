import type { Region, RegionIndex } from '../../../common/regions'
import { fold, similarity } from './text'

/**
 * Region names as the card prints them, matched to idn-area-data's codes. A match must be close (similarity on
 * the folded names, so "KUNY!" finds Kunyi) and clearly better than the next best name in the same list, so two
 * villages whose names differ by one letter never get picked on a smudge.
 */

export interface MatchOptions {
  /** Least similarity to accept, 0–1. */
  min: number
  /** How much better than the runner-up the best must be. */
  margin: number
}

export const DEFAULT_MATCH: MatchOptions = { min: 0.8, margin: 0.08 }

/**
 * Drops the kind words the data and the card spell differently ("KABUPATEN", "KOTA ADMINISTRASI", "KOTA ADM.",
 * "PROVINSI") and brings the provinces the card names by their short form to one spelling: cards print "PROVINSI DKI
 * JAKARTA" where idn-area-data says "Daerah Khusus Ibukota Jakarta", and older cards "NANGGROE ACEH DARUSSALAM".
 */
function core(name: string): string {
  return fold(name)
    .replace(/^(PROVINSI|KABUPATEN|KAB|KOTA)\s+/, '')
    .replace(/^(ADMINISTRASI|ADM)\s+/, '')
    .replace(/^DAERAH KHUSUS IBUKOTA\s+/, 'DKI ')
    .replace(/^DAERAH ISTIMEWA\s+/, 'DI ')
    .replace(/^(NANGGROE ACEH DARUSSALAM|NAD)$/, 'ACEH')
}

export function matchName(read: string, candidates: readonly Region[], options: MatchOptions = DEFAULT_MATCH): Region | null {
  const target = core(read)
  if (!target) return null
  let best: { region: Region; score: number } | null = null
  let second = 0
  for (const region of candidates) {
    const score = similarity(target, core(region.name))
    if (!best || score > best.score) {
      second = best?.score ?? 0
      best = { region, score }
    } else if (score > second) second = score
  }
  if (!best || best.score < options.min || best.score - second < options.margin) return null
  return best.region
}

/** The kind of regency the header names; a KOTA header must match a city code and a KABUPATEN one a regency. */
export function headerKind(read: string): 'kota' | 'kabupaten' | null {
  const text = fold(read)
  if (/^KOTA\b/.test(text)) return 'kota'
  if (/^(KABUPATEN|KAB)\b/.test(text)) return 'kabupaten'
  return null
}

export interface HeaderMatch {
  province: Region
  regency: Region
}

/** The header's two lines to a province and one of its regencies (of the printed kind), or null. */
export function matchHeader(regions: RegionIndex, province: string, regency: string): HeaderMatch | null {
  const p = matchName(province, regions.children(null))
  if (!p) return null
  const kind = headerKind(regency)
  const regencies = regions.children(p.code).filter((r) => kind === null || headerKind(r.name) === kind)
  const r = matchName(regency, regencies)
  return r ? { province: p, regency: r } : null
}
