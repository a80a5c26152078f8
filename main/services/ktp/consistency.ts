import type { KtpFields, KtpRefusal } from '../../../common/ktp'
import { parseNik } from '../../../common/nik'
import type { RegionIndex } from '../../../common/regions'
import { matchHeader, matchName } from './match-region'
import type { RawKtp, Read } from './parse'

/**
 * "Never a silent wrong fill": which of a card's reads are offered to the form. The NIK has no check digit, so the
 * card checks it against itself: it is offered only when it passes the NIK rules AND its date digits give the
 * birth date printed on the card AND its day gives the printed sex (day + 40 for women) AND its province and
 * regency are the card's header, with every digit read confidently. Birth date and sex are offered only with such
 * a NIK (two independent reads agreeing). Every other field needs its own confidence, and regions must match a
 * name under the header's regency. A field that fails stays empty, with the reason.
 */

export interface Thresholds {
  /** Weakest NIK digit, Tesseract's 0–100. */
  nikDigit: number
  name: number
  /** A name read below `name` is offered when the name line's re-read gives the same name with at least this. */
  nameAgreed: number
  birthPlace: number
  street: number
  rtRw: number
}

export const DEFAULT_THRESHOLDS: Thresholds = { nikDigit: 60, name: 45, nameAgreed: 20, birthPlace: 50, street: 50, rtRw: 50 }

export interface Decision {
  fields: KtpFields
  refused: Partial<Record<keyof KtpFields, KtpRefusal>>
}

/**
 * 16-digit candidates: the read itself, or a 17-digit read whose first digit is a 1 without it (the colon before
 * the NIK read as a 1). A 17-digit read is never cut at its end: a digit inserted inside the NIK would then give a
 * valid-looking wrong serial (seen on the generated frames).
 */
export function nikCandidates(digits: string): string[] {
  if (digits.length === 16) return [digits]
  if (digits.length === 17 && digits.startsWith('1')) return [digits.slice(1)]
  return []
}

type NikVerdict = { ok: true; nik: string } | { ok: false; reason: KtpRefusal }

/**
 * The number the NIK line's reads agree on: at least two reads give it and no other number has as many. A read
 * with a weak digit does not vote.
 */
function agreedNik(reads: RawKtp['nikReads'], thresholds: Thresholds): NikVerdict {
  if (reads.length === 0) return { ok: false, reason: 'unreadable' }
  const votes = new Map<string, number>()
  for (const read of reads) {
    if (read.confidence < thresholds.nikDigit) continue
    for (const nik of nikCandidates(read.value)) votes.set(nik, (votes.get(nik) ?? 0) + 1)
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1])
  const [best, next] = ranked
  if (!best) return { ok: false, reason: reads.some((r) => r.confidence < thresholds.nikDigit) ? 'low_confidence' : 'nik_rules' }
  if (best[1] < 2 || (next && next[1] === best[1])) return { ok: false, reason: 'reads_disagree' }
  return { ok: true, nik: best[0] }
}

function checkNik(raw: RawKtp, regions: RegionIndex, headerRegency: string | null, today: Date, thresholds: Thresholds): NikVerdict {
  const agreed = agreedNik(raw.nikReads, thresholds)
  if (!agreed.ok) return agreed
  const parsed = parseNik(agreed.nik, { today, regions })
  if (!parsed.ok) return { ok: false, reason: 'nik_rules' }
  const info = parsed.value
  if (!raw.birthDate || raw.birthDate.value !== info.birthDate) return { ok: false, reason: 'nik_birth_date_differs' }
  if (!raw.sex || raw.sex.value !== info.sex) return { ok: false, reason: 'nik_sex_differs' }
  if (headerRegency === null || headerRegency !== info.regencyCode) return { ok: false, reason: 'nik_region_differs' }
  return agreed
}

function confident<T>(read: Read<T> | null, threshold: number): { ok: true; value: T } | { ok: false; reason: KtpRefusal } {
  if (!read) return { ok: false, reason: 'unreadable' }
  if (read.confidence < threshold) return { ok: false, reason: 'low_confidence' }
  return { ok: true, value: read.value }
}

/**
 * The name has nothing on the card to check it against, so its second check is a second read: the name line cut
 * to its ink and read alone (read.ts). A confident first read is withheld when that read gives another name (a
 * letter slip: LESTARY for LESTARI); a weak one is offered only when that read gives exactly the same name. A
 * second read that gives nothing neither confirms nor contradicts.
 */
function checkName(raw: RawKtp, thresholds: Thresholds): { ok: true; value: string } | { ok: false; reason: KtpRefusal } {
  const first = raw.name
  if (!first || first.value.length < 2) return { ok: false, reason: 'unreadable' }
  const again = raw.nameAgain ?? null
  if (again && again.value !== first.value) return { ok: false, reason: 'reads_disagree' }
  if (first.confidence >= thresholds.name || (again && again.confidence >= thresholds.nameAgreed)) return { ok: true, value: first.value }
  return { ok: false, reason: 'low_confidence' }
}

export function decide(raw: RawKtp, regions: RegionIndex, today: Date, thresholds: Thresholds = DEFAULT_THRESHOLDS): Decision {
  const fields: KtpFields = {}
  const refused: Decision['refused'] = {}
  const header =
    raw.province && raw.regency
      ? matchHeader(regions, raw.province.value, raw.regency.value)
      : null

  const nik = checkNik(raw, regions, header?.regency.code ?? null, today, thresholds)
  if (nik.ok) {
    fields.nik = nik.nik
    fields.birthDate = raw.birthDate!.value
    fields.sex = raw.sex!.value
  } else {
    refused.nik = nik.reason
    refused.birthDate = nik.reason
    refused.sex = nik.reason
  }

  const name = checkName(raw, thresholds)
  if (name.ok) fields.fullName = name.value
  else refused.fullName = name.reason
  const place = confident(raw.birthPlace, thresholds.birthPlace)
  if (place.ok) fields.birthPlace = place.value
  else refused.birthPlace = place.reason
  const street = confident(raw.street, thresholds.street)
  if (street.ok) fields.street = street.value
  else refused.street = street.reason
  const rt = confident(raw.rt, thresholds.rtRw)
  const rw = confident(raw.rw, thresholds.rtRw)
  if (rt.ok && rw.ok) {
    fields.rt = rt.value
    fields.rw = rw.value
  } else refused.rt = refused.rw = rt.ok ? (rw as { reason: KtpRefusal }).reason : rt.reason

  if (!header) {
    refused.provinceCode = refused.regencyCode = refused.districtCode = refused.villageCode = 'no_match'
    return { fields, refused }
  }
  fields.provinceCode = header.province.code
  fields.regencyCode = header.regency.code
  const district = raw.district ? matchName(raw.district.value, regions.children(header.regency.code)) : null
  if (!district) {
    refused.districtCode = refused.villageCode = raw.district ? 'no_match' : 'unreadable'
    return { fields, refused }
  }
  fields.districtCode = district.code
  const village = raw.village ? matchName(raw.village.value, regions.children(district.code)) : null
  if (village) fields.villageCode = village.code
  else refused.villageCode = raw.village ? 'no_match' : 'unreadable'
  return { fields, refused }
}
