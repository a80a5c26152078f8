import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { PHOTO_PACK_MEDIA_TYPE, PHOTO_PACK_PATH } from '../../main/services/central/photo-pack'
import type { Post } from './posts'
import { postsPath, writePosts } from './posts'
import type { Central, CentralOptions } from './server'
import { startCentral } from './server'

/**
 * A real central on port 0 over a real SQLite file in a temp dir, with two posts whose tokens tests know, and a
 * thin fetch client. No test-runner imports here, so the bench (and the uploader's tests) can use it too.
 */
export const SURABAYA: Post = { postId: 'JT-3578-01', name: 'Posko Kota Surabaya 01', regencyCode: '35.78', token: 'test-token-surabaya-0001' }
export const MALANG: Post = { postId: 'JT-3573-01', name: 'Posko Kota Malang 01', regencyCode: '35.73', token: 'test-token-malang-00001' }
export const TEST_POSTS: readonly Post[] = [SURABAYA, MALANG]

export interface BatchRequestOptions {
  post?: Post
  /** Token to send; defaults to the post's. null sends no Authorization header. */
  token?: string | null
  batchId?: string
  /** Defaults to batchId; null leaves the header out. */
  idempotencyKey?: string | null
  gzip?: boolean
  fault?: string
  /** Body fields to override (e.g. another postId), merged over { postId, batchId, records }. */
  envelope?: Record<string, unknown>
}

export interface CentralClient {
  /** POST /v1/registrations:batch with a JSON (or gzip) body built from records. */
  postBatch(records: readonly unknown[], options?: BatchRequestOptions): Promise<Response>
  /** POST /v1/registrations:batch with exactly these body bytes and headers. */
  postRaw(body: Buffer | string, headers: Record<string, string>): Promise<Response>
  putPhoto(bytes: Buffer, options?: { sha256?: string; token?: string | null; contentType?: string; fault?: string }): Promise<Response>
  /** POST /v1/photos:batch with exactly these pack bytes (photo-pack.ts encodes them). */
  postPhotoPack(pack: Buffer, options?: { token?: string | null; contentType?: string; fault?: string }): Promise<Response>
  getRegistration(id: string, options?: { token?: string | null; fault?: string }): Promise<Response>
  health(options?: { fault?: string }): Promise<Response>
}

export interface TestCentral {
  central: Central
  dataDir: string
  client: CentralClient
  /** Closes the server; removes the data dir unless `keepData`. */
  dispose(options?: { keepData?: boolean }): Promise<void>
}

export function batchBody(records: readonly unknown[], postId: string, batchId: string): string {
  return JSON.stringify({ postId, batchId, records })
}

/** fetch's DOM typings take only ArrayBuffer-backed views, and a Buffer may sit on a SharedArrayBuffer. */
const toBody = (body: Buffer | string) => (typeof body === 'string' ? body : new Uint8Array(body))

function authHeader(token: string | null | undefined, fallback: string): Record<string, string> {
  const value = token === undefined ? fallback : token
  return value === null ? {} : { authorization: `Bearer ${value}` }
}

export function createClient(url: string): CentralClient {
  const faultHeader = (fault: string | undefined): Record<string, string> => (fault === undefined ? {} : { 'x-posko-fault': fault })
  const postRaw = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${url}/v1/registrations:batch`, { method: 'POST', body: toBody(body), headers })
  return {
    postRaw,
    postBatch(records, options = {}) {
      const post = options.post ?? SURABAYA
      const batchId = options.batchId ?? randomUUID()
      const json = JSON.stringify({ postId: post.postId, batchId, records, ...options.envelope })
      const key = options.idempotencyKey === undefined ? batchId : options.idempotencyKey
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...authHeader(options.token, post.token),
        ...(key === null ? {} : { 'idempotency-key': key }),
        ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
        ...faultHeader(options.fault),
      }
      return postRaw(options.gzip ? gzipSync(json) : json, headers)
    },
    putPhoto(bytes, options = {}) {
      const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex')
      return fetch(`${url}/v1/photos/${sha256}`, {
        method: 'PUT',
        body: toBody(bytes),
        headers: { 'content-type': options.contentType ?? 'image/jpeg', ...authHeader(options.token, SURABAYA.token), ...faultHeader(options.fault) },
      })
    },
    postPhotoPack(pack, options = {}) {
      return fetch(`${url}${PHOTO_PACK_PATH}`, {
        method: 'POST',
        body: toBody(pack),
        headers: { 'content-type': options.contentType ?? PHOTO_PACK_MEDIA_TYPE, ...authHeader(options.token, SURABAYA.token), ...faultHeader(options.fault) },
      })
    },
    getRegistration(id, options = {}) {
      return fetch(`${url}/v1/registrations/${encodeURIComponent(id)}`, { headers: { ...authHeader(options.token, SURABAYA.token), ...faultHeader(options.fault) } })
    },
    health(options = {}) {
      return fetch(`${url}/v1/health`, { headers: faultHeader(options.fault) })
    },
  }
}

export async function startTestCentral(options: Partial<CentralOptions> = {}): Promise<TestCentral> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'posko-central-'))
  if (!existsSync(postsPath(dataDir))) writePosts(dataDir, TEST_POSTS)
  const central = await startCentral({ allowFaultHeader: true, ...options, dataDir })
  return {
    central,
    dataDir,
    client: createClient(central.url),
    async dispose({ keepData = false } = {}) {
      await central.close()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
