import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile'

/**
 * Indonesian mobile numbers only (the programme texts OTPs), stored as E.164. Accepts 08…, +62…, 62… with spaces
 * or dashes. PROVISIONAL: being extended with tests.
 */
export function normaliseMobile(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), 'ID')
  if (!parsed || parsed.country !== 'ID' || !parsed.isValid() || parsed.getType() !== 'MOBILE') return null
  return parsed.number
}
