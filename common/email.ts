import { z } from 'zod'

/**
 * Email addresses: a syntax check, and a "did you mean …@gmail.com?" hint for the typos that on-screen keyboards
 * produce. The hint never blocks: plenty of people have addresses at domains no list knows.
 */

export type EmailCheck = { ok: true; value: string; suggestion?: string } | { ok: false }

/** zod's practical pattern (the same one registration.ts's Email uses), with RFC 5321's length cap. */
const EmailSyntax = z.email().max(254)

/**
 * Domains worth suggesting, most used in Indonesia first: on a tie in distance the earlier one wins ("hmail.com"
 * is one edit from gmail.com, ymail.com, mail.com and email.com; gmail.com is the likely one). Real domains that
 * sit close to a popular one (mail.com, email.com, ymail.com) are listed so they are never "corrected".
 */
export const COMMON_EMAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'yahoo.com',
  'yahoo.co.id',
  'ymail.com',
  'hotmail.com',
  'outlook.com',
  'outlook.co.id',
  'live.com',
  'icloud.com',
  'rocketmail.com',
  'googlemail.com',
  'msn.com',
  'me.com',
  'aol.com',
  'mail.com',
  'email.com',
  'protonmail.com',
  'proton.me',
  'gmx.com',
  'zoho.com',
  'yandex.com',
  'telkom.net',
]

/**
 * Mistakes too far from the intended domain for the edit distance to catch, seen often enough to name: an
 * Indonesian habit of adding the country suffix to a global provider.
 */
const KNOWN_MISTAKES: Readonly<Record<string, string>> = {
  'gmail.co.id': 'gmail.com',
}

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form (an adjacent swap costs 1, as in
 * "gmial"), enough for typo distances. Any distance above `limit` is reported as `limit + 1`, which lets it stop
 * as soon as a whole row of the table exceeds the limit (row minima never decrease).
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let twoBack: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, twoBack[j - 2]! + 1)
      current.push(best)
      rowMin = Math.min(rowMin, best)
    }
    if (rowMin > limit) return limit + 1
    twoBack = previous
    previous = current
  }
  return Math.min(previous[b.length]!, limit + 1)
}

/** Short domains get less slack: two edits turn "me.co" into almost anything. */
function allowedDistance(domain: string): number {
  return domain.length < 6 ? 1 : 2
}

/** The known domain the user most likely meant, or undefined if the domain is known or nothing is close. */
export function suggestDomain(domain: string): string | undefined {
  if (COMMON_EMAIL_DOMAINS.includes(domain)) return undefined
  const named = KNOWN_MISTAKES[domain]
  if (named) return named
  const limit = allowedDistance(domain)
  let best: { domain: string; distance: number } | undefined
  for (const candidate of COMMON_EMAIL_DOMAINS) {
    const distance = editDistance(domain, candidate, limit)
    if (distance <= limit && (!best || distance < best.distance)) best = { domain: candidate, distance }
  }
  return best?.domain
}

/**
 * Trims and lower-cases (no mail provider in use here treats case as significant, and the record keeps one
 * spelling), checks the syntax, and offers the whole corrected address as `suggestion` when the domain looks
 * like a typo of a common one.
 */
export function checkEmail(input: string): EmailCheck {
  const value = input.trim().toLowerCase()
  if (!EmailSyntax.safeParse(value).success) return { ok: false }
  const at = value.lastIndexOf('@')
  const suggested = suggestDomain(value.slice(at + 1))
  return suggested ? { ok: true, value, suggestion: `${value.slice(0, at + 1)}${suggested}` } : { ok: true, value }
}
