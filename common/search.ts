import { normaliseNik } from './nik'
import { normaliseMobile } from './phone'

/**
 * What staff may type into "Cari" and how it is read (issue 19 point 8). Shared by the kiosk's search index
 * (main/services/registration/search-index.ts) and the search screen, so both read a query the same way.
 *
 * Names are matched by whole words after normalisation: case, diacritics, apostrophes and spacing do not matter
 * ("Ma'ruf" = "MARUF", "Siti  Nurhaliza" = "siti nurhaliza", "NUR HALIZA" is also found as "nurhaliza"). There is
 * no prefix search: see docs/design-notes.md ("Search without plaintext").
 */

/** Shortest name word that is indexed or searched: single letters (initials) would match half the post. */
export const MIN_NAME_WORD = 2
/** Words of a name that are indexed; a KTP name longer than this is rare and is still found by its first words. */
export const MAX_NAME_WORDS = 8

/**
 * A name's words, normalised: NFKD with the combining marks dropped (é → e), lower case, apostrophes dropped
 * (ma'ruf → maruf), anything else that is not a letter splits words (ABD.RAHMAN, NUR-AINI). Repeats removed.
 */
export function nameWords(name: string): string[] {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`ʼ]/g, '')
  const words = plain.split(/[^\p{L}]+/u).filter((w) => w.length >= MIN_NAME_WORD)
  return [...new Set(words)].slice(0, MAX_NAME_WORDS)
}

/**
 * The terms a record's name is indexed under: each word, and each two neighbouring words joined, so "NUR HALIZA"
 * is found by "nurhaliza" and "SITI NURHALIZA" by "siti nurhaliza".
 */
export function nameTerms(name: string): string[] {
  const words = nameWords(name)
  const joined = words.slice(1).map((w, i) => `${words[i]}${w}`)
  return [...new Set([...words, ...joined])]
}

export type SearchQuery =
  | { kind: 'nik'; nik: string }
  | { kind: 'receipt'; receiptNo: string }
  | { kind: 'phone'; e164: string }
  | { kind: 'name'; words: string[] }
  /** Nothing searchable in it (digits that are no NIK, phone or receipt; a single letter). */
  | { kind: 'none' }

/** A receipt number as printed (post code, yymmdd, sequence), typed in any case and spacing. */
const RECEIPT = /^[A-Z0-9-]{2,20}-\d{6}-[0-9A-Z]{4,6}$/

/** Staff type receipt numbers by hand: accept lower case and stray spaces. */
export function normaliseReceiptQuery(query: string): string {
  return query.trim().toUpperCase().replace(/\s+/g, '')
}

/** Reads a search box: a NIK, a receipt number, an Indonesian mobile number, or name words, in that order. */
export function parseSearchQuery(raw: string): SearchQuery {
  const nik = normaliseNik(raw)
  if (/^\d{16}$/.test(nik)) return { kind: 'nik', nik }
  const receiptNo = normaliseReceiptQuery(raw)
  if (RECEIPT.test(receiptNo)) return { kind: 'receipt', receiptNo }
  if (/\d/.test(raw)) {
    const e164 = normaliseMobile(raw)
    return e164 ? { kind: 'phone', e164 } : { kind: 'none' }
  }
  const words = nameWords(raw)
  return words.length > 0 ? { kind: 'name', words } : { kind: 'none' }
}
