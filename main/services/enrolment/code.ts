import { randomInt } from 'node:crypto'

/**
 * One-time enrolment codes: IT reads one from central's console and types it on the kiosk. The alphabet leaves out
 * 0/O and 1/I/L, the characters people confuse when a code is read aloud over the phone or copied from a screen.
 * Twelve characters from 31 give about 59 bits: far beyond online guessing, and an offline search of a leaked hash
 * would take GPU-years against a code that lives seven days.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const CODE_LENGTH = 12
const GROUP = 4

const VALID = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`)

/** "ABCD-EFGH-JKMN": groups of four are easier to read out and to check than twelve characters in a row. */
export function formatEnrolmentCode(normalised: string): string {
  return normalised.match(new RegExp(`.{1,${GROUP}}`, 'g'))?.join('-') ?? normalised
}

export function generateEnrolmentCode(): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return formatEnrolmentCode(code)
}

/** What the kiosk (and central) compare: spaces and dashes dropped, upper case. Null when it can't be a code. */
export function normaliseEnrolmentCode(input: string): string | null {
  const code = input.replace(/[\s-]+/g, '').toUpperCase()
  return VALID.test(code) ? code : null
}
