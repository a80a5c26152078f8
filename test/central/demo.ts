import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Post } from './posts'
import { readPosts, writePosts } from './posts'

/** The post the kiosk's demo config (resources/default-config.json) is set up as. */
export const DEMO_POST_ID = 'JT-3578-01'
export const DEMO_PROVINCE = '35'
export const DEMO_POST_COUNT = 56

/**
 * Beyond one post per regency/city (38 in East Java), the extra 18 go to the big cities, roughly by population:
 * Surabaya is by far the largest, then Malang, then Kediri.
 */
export const EXTRA_POSTS: Readonly<Record<string, number>> = {
  '35.78': 8, // Kota Surabaya
  '35.73': 4, // Kota Malang
  '35.71': 2, // Kota Kediri
  '35.74': 1, // Kota Probolinggo
  '35.75': 1, // Kota Pasuruan
  '35.76': 1, // Kota Mojokerto
  '35.77': 1, // Kota Madiun
}

export interface Regency {
  code: string
  name: string
}

/** East Java's regencies and cities from idn-area-data (Kemendagri codes, ODbL), read as shipped. */
export function eastJavaRegencies(): Regency[] {
  const require = createRequire(import.meta.url)
  const csv = join(dirname(require.resolve('idn-area-data/package.json')), 'data', 'regencies.csv')
  const [header, ...rows] = readFileSync(csv, 'utf8').trim().split(/\r?\n/)
  if (header !== 'code,province_code,name') throw new Error(`${csv}: unexpected header "${header}"`)
  return rows
    .map((row) => {
      // Names have no commas in this file; the first two fields are fixed-format codes.
      const [code, province, ...name] = row.split(',')
      return { code: code!, province: province!, name: name.join(',').replace(/^"|"$/g, '') }
    })
    .filter((r) => r.province === DEMO_PROVINCE)
    .map(({ code, name }) => ({ code, name }))
}

const newToken = () => randomBytes(32).toString('base64url')

/**
 * Writes `<dataDir>/posts.json` with 56 demo posts over East Java's 38 regencies and cities, ids like
 * "JT-3578-01" (regency code without the dot, then a number within the regency). Tokens already in the file are
 * kept, as are posts it holds that aren't demo posts, so rerunning `--demo` never logs a configured kiosk out.
 */
export function createDemoPosts(dataDir: string): { file: string; posts: Post[] } {
  mkdirSync(dataDir, { recursive: true })
  const existing = readPosts(dataDir) ?? []
  const tokens = new Map(existing.map((p) => [p.postId, p.token]))
  const demo: Post[] = []
  for (const regency of eastJavaRegencies()) {
    const count = 1 + (EXTRA_POSTS[regency.code] ?? 0)
    for (let n = 1; n <= count; n++) {
      const postId = `JT-${regency.code.replace('.', '')}-${String(n).padStart(2, '0')}`
      demo.push({ postId, name: `Posko ${regency.name} ${String(n).padStart(2, '0')}`, regencyCode: regency.code, token: tokens.get(postId) ?? newToken() })
    }
  }
  if (demo.length !== DEMO_POST_COUNT) throw new Error(`expected ${DEMO_POST_COUNT} demo posts, built ${demo.length}: has the region data changed?`)
  const demoIds = new Set(demo.map((p) => p.postId))
  const posts = [...demo, ...existing.filter((p) => !demoIds.has(p.postId))]
  return { file: writePosts(dataDir, posts), posts }
}
