import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'

/**
 * IT's admin token for the fleet view (GET /fleet, GET /v1/posts). Separate from every post token: a kiosk's token
 * must never read other posts' state. `<data>/admin-token`, 0600, made on first start, printed by the CLI.
 */
export const adminTokenPath = (dataDir: string) => join(dataDir, 'admin-token')

export const ADMIN_COOKIE = 'posko_admin'

/** Same temp-then-link creation as keys.ts: a server and the CLI starting together agree on one token. */
export function loadOrCreateAdminToken(dataDir: string): string {
  const file = adminTokenPath(dataDir)
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 })
    try {
      linkSync(tmp, file)
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error
    } finally {
      rmSync(tmp, { force: true })
    }
  }
  const token = readFileSync(file, 'utf8').trim()
  if (!/^[A-Za-z0-9_-]{32,200}$/.test(token)) throw new Error(`${file} does not hold an admin token`)
  return token
}

const digest = (value: string) => createHash('sha256').update(value).digest()

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }
  return null
}

export type AdminCredential = 'header' | 'cookie' | 'query'

/**
 * Which of the admin token's three carriers matched, or null. The query form exists so IT can open the page from
 * the link the CLI prints; the page then moves it into a cookie and redirects, so it doesn't stay in the address bar.
 * Compared as SHA-256 digests with timingSafeEqual: no early exit on the first wrong character.
 */
export function adminCredential(req: IncomingMessage, token: string): AdminCredential | null {
  const expected = digest(token)
  const matches = (value: string | null) => value !== null && value.length > 0 && timingSafeEqual(digest(value), expected)
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')
  if (bearer && matches(bearer[1]!)) return 'header'
  if (matches(cookie(req, ADMIN_COOKIE))) return 'cookie'
  const query = new URL(req.url ?? '/', 'http://central.invalid').searchParams.get('token')
  return matches(query) ? 'query' : null
}
