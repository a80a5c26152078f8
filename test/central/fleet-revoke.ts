import { createHmac, timingSafeEqual } from 'node:crypto'
import { fleetLang, renderRevokeConfirm } from './fleet-page'
import type { Reply } from './http'
import { HttpError, mediaType, readBody } from './http'
import type { AdminContext } from './routes'

/**
 * Revoking a kiosk from the fleet page (issue 21.1), the CLI's `revoke` for IT in a browser. Two steps with no
 * script: GET /fleet/revoke?kiosk= says what revoking does and holds the form; POST /fleet/revoke revokes and
 * returns to /fleet. The form carries `confirm`, an HMAC of the kiosk under the admin token: only the confirmation
 * page can make it, so a POST that did not come through it (another site riding the admin cookie, a stray link) is
 * refused and changes nothing. The revocation and who made it go to central's admin audit in one transaction.
 */
export const FLEET_REVOKE_PATH = '/fleet/revoke'
const KEY_ID = /^[A-Za-z0-9_-]{1,100}$/

const confirmFor = (adminToken: string, keyId: string) => createHmac('sha256', adminToken).update(`revoke-kiosk:${keyId}`).digest('base64url')

function page(html: string, styleHash: string, status = 200): Reply {
  return {
    status,
    body: Buffer.from(html),
    contentType: 'text/html; charset=utf-8',
    headers: {
      'content-security-policy': `default-src 'none'; style-src '${styleHash}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  }
}

function knownKiosk(ctx: AdminContext, keyId: string | null) {
  if (!keyId || !KEY_ID.test(keyId)) throw new HttpError(400, 'invalid_kiosk', 'kiosk must be an enrolled kiosk\'s key id')
  const kiosk = ctx.store.kiosk(keyId)
  if (!kiosk) throw new HttpError(404, 'unknown_kiosk', `no enrolled kiosk with key id ${keyId}`)
  return kiosk
}

export function getRevokeConfirm(ctx: AdminContext): Reply {
  const query = new URL(ctx.req.url ?? '/', 'http://central.invalid').searchParams
  const kiosk = knownKiosk(ctx, query.get('kiosk'))
  const rendered = renderRevokeConfirm(kiosk, confirmFor(ctx.adminToken, kiosk.keyId), fleetLang(query.get('lang')))
  return page(rendered.html, rendered.styleHash)
}

export async function postRevoke(ctx: AdminContext): Promise<Reply> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'unsupported_media_type', 'the revoke form is application/x-www-form-urlencoded')
  }
  const form = new URLSearchParams((await readBody(ctx.req, 4096, 'body_too_large')).toString('utf8'))
  const kiosk = knownKiosk(ctx, form.get('kiosk'))
  const expected = Buffer.from(confirmFor(ctx.adminToken, kiosk.keyId))
  const given = Buffer.from(form.get('confirm') ?? '')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(403, 'not_confirmed', 'revoking a kiosk goes through its confirmation page')
  }
  ctx.store.revokeKioskAudited(kiosk.keyId, new Date(ctx.now()).toISOString(), `admin (${ctx.adminVia})`)
  const lang = fleetLang(new URL(ctx.req.url ?? '/', 'http://central.invalid').searchParams.get('lang'))
  return {
    status: 303,
    body: Buffer.alloc(0),
    contentType: 'text/plain; charset=utf-8',
    headers: { location: lang === 'en' ? '/fleet?lang=en' : '/fleet', 'referrer-policy': 'no-referrer' },
  }
}
