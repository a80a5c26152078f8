import { createHmac, hkdfSync } from 'node:crypto'

/**
 * The post-wide NIK HMAC (DESIGN §11): keyed by a subkey of the post key central gives every desk of a post, so the
 * same NIK hashes alike at every desk of the post and differently at any other post. A subkey (HKDF, as the vault's
 * own NIK HMAC) keeps the post key itself out of any other use.
 */
export function postNikHasher(postKey: Buffer): (normalisedNik: string) => Buffer {
  if (postKey.length !== 32) throw new Error('the post key is 32 bytes')
  const key = Buffer.from(hkdfSync('sha256', postKey, Buffer.alloc(0), 'posko/post-nik-hmac/v1', 32))
  return (nik) => createHmac('sha256', key).update(nik, 'utf8').digest()
}
