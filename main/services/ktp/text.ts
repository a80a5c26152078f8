/**
 * Character-level repairs for what Tesseract confuses on a KTP, by the kind of text a field holds: in a field that
 * can only hold digits an O is a 0, in a name a 0 is an O. A repair never invents a character, it only swaps one
 * look-alike for another, so a read that is wrong in shape stays wrong and is refused downstream.
 */

const TO_DIGIT: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', U: '0', I: '1', l: '1', '|': '1', i: '1', '!': '1', L: '1', T: '7', Z: '2', z: '2', S: '5', s: '5', B: '8', G: '6', b: '6', g: '9', q: '9' }
const TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B', '|': 'I', '!': 'I', '$': 'S', '€': 'E' }

export function asDigits(text: string): string {
  return [...text].map((c) => TO_DIGIT[c] ?? c).join('')
}

export function asLetters(text: string): string {
  return [...text].map((c) => TO_LETTER[c] ?? c).join('')
}

/** Upper case, letters digits and spaces only, single spaces: how names are compared. */
export function fold(text: string): string {
  return text
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (!a.length) return b.length
  if (!b.length) return a.length
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

/** 1 for equal, 0 for nothing in common, on folded text. */
export function similarity(a: string, b: string): number {
  const x = fold(a).replace(/ /g, '')
  const y = fold(b).replace(/ /g, '')
  if (!x.length && !y.length) return 1
  return 1 - editDistance(x, y) / Math.max(x.length, y.length)
}

/**
 * Drops what the colon and the card's edge leave before a value: non-alphanumeric characters and a short first
 * token with lower case letters (the card prints values in capitals).
 */
export function stripLead(text: string): string {
  let s = text.trim().replace(/^[^A-Za-z0-9]+/, '')
  const first = /^(\S{1,2})\s+(.*)$/.exec(s)
  if (first && /[a-z]/.test(first[1]!) && /[A-Z0-9]/.test(first[2]!)) s = first[2]!
  return s.replace(/^[^A-Za-z0-9]+/, '').trim()
}
