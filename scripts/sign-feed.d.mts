import type { KeyObject } from 'node:crypto'

export const SIGNING_KEY_ENV: string
export function signingKeyFrom(env: Record<string, string | undefined>): { key: KeyObject; problem: null } | { key: null; problem: string }
export function signFeed(dir: string, privateKey: KeyObject): string[]
export function publicPem(privateKey: KeyObject): string
