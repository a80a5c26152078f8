import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile'

/**
 * Indonesian mobile numbers only (the programme texts OTPs, so a landline or a foreign number is as good as none),
 * stored as E.164 ("+6281234567890").
 *
 * The `/mobile` metadata build knows only mobile ranges, so Jakarta's 021-… or Yogyakarta's 0274-… fail
 * `isValid()` outright; `getType() === 'MOBILE'` is still checked so a switch to the `/max` build can't let a
 * landline through.
 */

/**
 * What people type between digit groups, plus a leading "+". libphonenumber on its own is lenient: it drops
 * trailing words ("0812… call me"), reads "ext 12" as an extension and accepts "tel:" URIs; a form field holding
 * any of those is a mistake worth showing, not a number to guess at.
 */
const ALLOWED = /^\+?[0-9 .\-()]+$/

/** Longer than any real number with generous separators; keeps hostile input away from the parser. */
const MAX_INPUT = 40

/**
 * Accepts 08…, 8…, +62…, 62… (also "+62 0812…", a common way of writing it) with spaces, dashes, dots or
 * brackets; returns E.164, or null for anything that is not an Indonesian mobile number.
 */
export function normaliseMobile(input: string): string | null {
  const text = input.trim()
  if (text.length > MAX_INPUT || !ALLOWED.test(text)) return null
  const parsed = parsePhoneNumberFromString(text, 'ID')
  if (!parsed || parsed.country !== 'ID' || parsed.ext || !parsed.isValid() || parsed.getType() !== 'MOBILE') return null
  return parsed.number
}

/**
 * Whether the text is an Indonesian landline (021-…, 0274 …, +62 31 …): national numbers beginning 2–7 are
 * geographic in Indonesia's numbering plan; 8 is mobile, 1 and 0 are services and toll-free. A rule instead of
 * libphonenumber's full metadata (which knows line types) keeps ~150 KB out of the renderer; the unit test holds it
 * against that metadata. Used only to say *why* a number is refused.
 */
export function isIndonesianLandline(input: string): boolean {
  const text = input.trim()
  if (text.length > MAX_INPUT || !ALLOWED.test(text)) return false
  const digits = text.replace(/\D/g, '')
  const national = text.startsWith('+') || digits.startsWith('62') ? digits.replace(/^62(0?)/, '') : digits.replace(/^0/, '')
  if (!text.startsWith('+') && !digits.startsWith('62') && !digits.startsWith('0')) return false
  return /^[2-7]\d{6,10}$/.test(national)
}
