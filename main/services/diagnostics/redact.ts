/**
 * Defence in depth for what leaves the kiosk in a diagnostics archive. Services already log ids, counts and codes
 * only (logger.ts); these catch what a careless log line or a config value could still carry. Names can't be
 * recognised by pattern, which is why the logging rule matters and the export test plants marker names.
 */

const SECRET_KEY = /token|secret|passw|passphrase|\bpin\b|pin$|apikey|api_key|private|credential|cookie|authorization|signingkey/i

/** NIK and KK numbers are 16 digits; any run of 15+ digits is treated as one. */
const LONG_NUMBER = /(?<!\d)\d{15,}(?!\d)/g
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g
/** Indonesian mobiles as people type them: +62 8…, 62 8…, 08…, with spaces or dashes. */
const PHONE = /(?:\+62|(?<!\d)62|(?<!\d)0)[\s-]?8(?:[\s-]?\d){7,12}(?!\d)/g

export function redactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]').replace(LONG_NUMBER, '[number]')
}

/** A URL without its password and with query values hidden (a token in a query string is still a token). */
function maskUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return value
  }
  if (!/^https?:$/.test(url.protocol)) return value
  // '***' rather than a word: "user:***@host" must not read as an e-mail address to redactText later.
  if (url.password) url.password = '***'
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***')
  return url.href
}

/**
 * A copy of a config-like value safe to show and export: secret-looking keys become "[masked]", URLs lose their
 * credentials, other strings are redacted. Depth-limited so a cycle or a huge object can't hang diagnostics.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]'
  if (typeof value === 'string') {
    const url = maskUrl(value)
    return url === value ? redactText(value) : url
  }
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => maskSecrets(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined && v !== '' ? '[masked]' : maskSecrets(v, depth + 1)
  }
  return out
}
