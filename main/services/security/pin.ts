import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'

/**
 * PINs are short (6+ digits), so the hash must be slow: scrypt with a per-operator salt. N = 2^15, r = 8 costs
 * ~32 MB and ~60–100 ms on a post's PC: unnoticeable at sign-in, ruinous for anyone guessing a stolen database.
 * Parameters are stored with the hash so they can be raised later without breaking existing PINs.
 */
export interface PinHash {
  hash: Buffer
  salt: Buffer
  params: { N: number; r: number; p: number }
}

export const PIN_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32

function scrypt(pin: string, salt: Buffer, params: PinHash['params']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(pin, salt, KEY_LENGTH, { ...params, maxmem: 128 * params.N * params.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export const PIN_PATTERN = /^\d{6,12}$/

export async function hashPin(pin: string, params: PinHash['params'] = PIN_PARAMS): Promise<PinHash> {
  const salt = randomBytes(16)
  return { hash: await scrypt(pin, salt, params), salt, params }
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const candidate = await scrypt(pin, stored.salt, stored.params)
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash)
}
