import { asDigits, asLetters, fold, similarity, stripLead } from './text'
import type { OcrLine } from './tesseract'

/**
 * From Tesseract's lines to the card's fields, as text still to be checked (consistency.ts decides what is
 * offered). The card's bands are read separately (ocr-bands in read.ts): the header's two lines, the NIK line
 * with digits only, and the block of values from Nama to Kecamatan, cut after the labels' colons and before
 * Agama, so religion and marital status are never even read.
 */

export interface Read<T> {
  value: T
  /** Tesseract's confidence, 0–100: the weakest word of the field. */
  confidence: number
}

export interface RawKtp {
  province: Read<string> | null
  regency: Read<string> | null
  /** The digits of the NIK line, repaired, and the weakest digit's confidence. */
  /**
   * The NIK line read from differently prepared images, one entry per read that gave digits. Tesseract can swap
   * one digit for another with high confidence (a serial 1 read as 2 at 96 %), and the card can't catch a serial
   * digit: reads that must agree can (consistency.ts).
   */
  nikReads: Read<string>[]
  name: Read<string> | null
  /**
   * The name line read again on its own (read.ts rereadName): a below-threshold name is offered only when this
   * read gives the same name, and a confident one it contradicts is withheld (consistency.ts). Undefined when
   * the line was not read again.
   */
  nameAgain?: Read<string> | null
  birthPlace: Read<string> | null
  /** YYYY-MM-DD, a real calendar date. */
  birthDate: Read<string> | null
  sex: Read<'male' | 'female'> | null
  street: Read<string> | null
  rt: Read<string> | null
  rw: Read<string> | null
  village: Read<string> | null
  district: Read<string> | null
}

export interface OcrBands {
  header: OcrLine[]
  /** One entry per read of the NIK line. */
  nik: OcrLine[][]
  fields: OcrLine[]
}

const minConfidence = (line: OcrLine) => (line.words.length ? Math.min(...line.words.map((w) => w.confidence)) : line.confidence)

function header(lines: OcrLine[]): Pick<RawKtp, 'province' | 'regency'> {
  const texts = lines.map((l) => ({ text: fold(asLetters(l.text)), confidence: minConfidence(l) })).filter((l) => l.text.length > 3)
  const provinceLine = texts.find((l) => /^PR[O0]V/.test(l.text) || similarity(l.text.split(' ')[0]!, 'PROVINSI') >= 0.75)
  const kindLine = texts.find((l) => l !== provinceLine && (/^(KABUPATEN|KOTA)\b/.test(l.text) || similarity(l.text.split(' ')[0]!, 'KABUPATEN') >= 0.75 || similarity(l.text.split(' ')[0]!, 'KOTA') >= 0.75))
  // Jakarta's cards print the city without "KOTA" ("JAKARTA SELATAN"): then the line under the province is it.
  const regencyLine = kindLine ?? (provinceLine ? texts[texts.indexOf(provinceLine) + 1] : undefined)
  const province = provinceLine ? provinceLine.text.split(' ').slice(1).join(' ') : ''
  return {
    province: province ? { value: province, confidence: provinceLine!.confidence } : null,
    regency: regencyLine ? { value: regencyLine.text, confidence: regencyLine.confidence } : null,
  }
}

export function nikLine(lines: OcrLine[]): Read<string> | null {
  // The longest run of digits wins; the colon before it can come back as a stray 1 (17 digits: consistency.ts
  // tries both 16-digit windows and offers only one that checks out).
  let best: Read<string> | null = null
  for (const line of lines) {
    const digits = asDigits(line.text.replace(/\s+/g, '')).replace(/[^0-9]/g, '')
    const digitSymbols = line.symbols.filter((s) => /[0-9]/.test(asDigits(s.text)))
    const confidence = digitSymbols.length ? Math.min(...digitSymbols.map((s) => s.confidence)) : 0
    if (!best || digits.length > best.value.length) best = { value: digits, confidence }
  }
  return best && best.value.length >= 12 ? best : null
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** "DD-MM-YYYY" with the usual confusions, at the end of the place-and-date line; a real date or null. */
export function parseDate(text: string): string | null {
  const m = /([0-9OoDIl|SBZ]{1,2})\s*[-.,/ ]\s*([0-9OoDIl|SBZ]{1,2})\s*[-.,/ ]\s*([0-9OoDIl|SBZ]{4})\s*$/.exec(text.trim())
  if (!m) return null
  const [day, month, year] = [m[1]!, m[2]!, m[3]!].map((s) => Number(asDigits(s)))
  if (![day, month, year].every(Number.isFinite)) return null
  if (month! < 1 || month! > 12 || day! < 1 || year! < 1900 || year! > 2100) return null
  const iso = `${year}-${pad2(month!)}-${pad2(day!)}`
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : null
}

/** Capitals, spaces and . , ' - only, as a name prints; digits that look like letters are read as those letters. */
export function cleanName(text: string): string | null {
  const s = asLetters(stripLead(text)).replace(/\s+/g, ' ').trim()
  if (!/^[A-Z][A-Z .,'-]*[A-Z.]$/.test(s)) return null
  return s
}

export function placeAndDate(line: OcrLine): Pick<RawKtp, 'birthPlace' | 'birthDate'> {
  const text = stripLead(line.text)
  const confidence = minConfidence(line)
  const comma = text.lastIndexOf(',')
  const date = parseDate(comma >= 0 ? text.slice(comma + 1) : text)
  const placeText = comma >= 0 ? text.slice(0, comma) : text.replace(/[0-9OoDIl|SBZ\s.-]+$/, '')
  const place = cleanName(placeText)
  return {
    birthPlace: place ? { value: place, confidence } : null,
    birthDate: date ? { value: date, confidence } : null,
  }
}

export function sexOf(line: OcrLine): Read<'male' | 'female'> | null {
  // The value, without "Gol. Darah …" after it (its first word starts with G however it is read).
  const tokens = fold(asLetters(stripLead(line.text))).split(' ')
  const end = tokens.findIndex((t, i) => i > 0 && t.startsWith('G'))
  const word = tokens.slice(0, end < 0 ? 2 : Math.min(end, 2)).join('')
  const male = Math.max(similarity(word, 'LAKILAKI'), similarity(tokens[0] ?? '', 'LAKI'))
  const female = similarity(word, 'PEREMPUAN')
  const confidence = line.words.length ? line.words[0]!.confidence : line.confidence
  // Two words with little in common: the nearer wins when it is near enough and clearly nearer. Sex is offered
  // only beside a NIK whose day agrees with it (consistency.ts), so a smudged LAKI-LAKI can't fill a wrong value.
  if (male >= 0.5 && male - female >= 0.3) return { value: 'male', confidence }
  if (female >= 0.5 && female - male >= 0.3) return { value: 'female', confidence }
  return null
}

function rtRw(line: OcrLine): Pick<RawKtp, 'rt' | 'rw'> {
  const text = asDigits(stripLead(line.text).replace(/\s+/g, ''))
  const confidence = minConfidence(line)
  let m = /^(\d{3})[/\\|1lI7]?(\d{3})$/.exec(text)
  if (!m) m = /^(\d{1,3})[/\\|](\d{1,3})$/.exec(text)
  if (!m) return { rt: null, rw: null }
  const strip = (s: string) => String(Number(s))
  return { rt: { value: strip(m[1]!), confidence }, rw: { value: strip(m[2]!), confidence } }
}

function plainText(line: OcrLine | undefined): Read<string> | null {
  if (!line) return null
  const text = stripLead(line.text).replace(/\s+/g, ' ').trim()
  return text.length >= 2 ? { value: text.toUpperCase(), confidence: minConfidence(line) } : null
}

function nameText(line: OcrLine | undefined): Read<string> | null {
  if (!line) return null
  const name = cleanName(line.text)
  return name ? { value: name, confidence: minConfidence(line) } : null
}

/** The name from a read of the name line alone: its longest line (a speck can come back as a line of its own). */
export function nameOfLine(lines: OcrLine[]): Read<string> | null {
  const usable = lines.filter((l) => stripLead(l.text).length > 0)
  if (usable.length === 0) return null
  return nameText(usable.reduce((a, b) => (b.text.length > a.text.length ? b : a)))
}

/**
 * The value block's lines in card order: Nama, Tempat/Tgl Lahir, Jenis Kelamin, Alamat, RT/RW, Kel/Desa,
 * Kecamatan. Tesseract sometimes drops a faint line or splits one, so the place-and-date line (the one ending in
 * a date) anchors the others.
 */
function fieldBlock(lines: OcrLine[]): Omit<RawKtp, 'province' | 'regency' | 'nikReads'> {
  const usable = lines.filter((l) => stripLead(l.text).length > 0)
  let anchor = usable.findIndex((l) => parseDate(stripLead(l.text).split(',').pop() ?? '') !== null)
  if (anchor < 0) anchor = usable.length >= 7 ? 1 : -1
  const at = (offset: number) => (anchor >= 0 ? usable[anchor + offset] : undefined)
  const dateLine = at(0)
  const sexLine = at(1)
  return {
    name: nameText(at(-1)),
    ...(dateLine ? placeAndDate(dateLine) : { birthPlace: null, birthDate: null }),
    sex: sexLine ? sexOf(sexLine) : null,
    street: plainText(at(2)),
    ...(at(3) ? rtRw(at(3)!) : { rt: null, rw: null }),
    village: plainText(at(4)),
    district: plainText(at(5)),
  }
}

export function parseKtp(bands: OcrBands): RawKtp {
  return { ...header(bands.header), nikReads: bands.nik.map(nikLine).filter((r): r is Read<string> => r !== null), ...fieldBlock(bands.fields) }
}
