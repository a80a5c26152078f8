import { open, stat } from 'node:fs/promises'
import { basename, isAbsolute } from 'node:path'
import { DomainError } from '../../../common/result'
import { ResponseTooLargeError, SMALL_ANSWER_BYTES } from '../central/read-capped'
import type { Transport, TransportResponse } from '../central/transport'
import { nodeTransport } from '../central/transport'
import type { KioskCredentials } from '../platform/identity'
import type { Logger } from '../platform/logger'
import type { AuditLog } from '../store/audit'
import type { BundleHeader } from './format'
import { BundleError, decodePrefix } from './format'
import { readBundleHeader } from './reader'
import type { BundleAnswer } from './wire'
import { BundleAnswer as BundleAnswerSchema, BUNDLES_PATH } from './wire'

export interface ImportDeps {
  credentials(): Pick<KioskCredentials, 'token' | 'centralUrl'> | null
  /** The upload's HTTP (central/transport.ts), which streams a body: fetch held every byte it sent until the answer. */
  transport?: Transport
  logger: Logger
  audit?: Pick<AuditLog, 'append'>
  /** A big bundle over a slow link takes a while; past this the upload is abandoned (default 15 minutes). */
  timeoutMs?: number
}

export interface ImportOptions {
  onProgress?(progress: { sentBytes: number; totalBytes: number }): void
  actor?: { operatorId: string | null }
}

export interface ImportResult extends BundleAnswer {
  /** True when central had already imported this bundle and answered from its record of it. */
  replayed: boolean
  bytes: number
}

function reasonOf(text: string): { code?: string; reason?: string } {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; details?: { reason?: unknown } } }).error
    return {
      code: typeof error?.code === 'string' ? error.code : undefined,
      reason: typeof error?.details?.reason === 'string' ? error.details.reason : undefined,
    }
  } catch {
    return {}
  }
}

const UPLOAD_CHUNK_BYTES = 256 * 1024

/** The file, a chunk at a time as the transport asks for it, with progress that tracks what was handed to the wire. */
async function* fileChunks(file: string, onSent: (sentBytes: number) => void): AsyncGenerator<Uint8Array> {
  const handle = await open(file, 'r')
  try {
    let sentBytes = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(UPLOAD_CHUNK_BYTES)
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) return
      sentBytes += bytesRead
      onSent(sentBytes)
      yield chunk.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}

/** POSTs a bundle's bytes to central's bundle import and reads its receipt; DomainErrors as importBundle's. */
async function postBundle(
  deps: ImportDeps,
  credentials: Pick<KioskCredentials, 'token' | 'centralUrl'>,
  header: BundleHeader,
  body: { length: number; chunks: AsyncIterable<Uint8Array> },
): Promise<{ answer: BundleAnswer; replayed: boolean }> {
  let response: TransportResponse
  try {
    response = await (deps.transport ?? nodeTransport)(`${credentials.centralUrl}${BUNDLES_PATH}`, {
      method: 'POST',
      // Content-Length (from the body's length) lets central refuse a bundle over its limit before reading it.
      headers: { authorization: `Bearer ${credentials.token}`, 'content-type': 'application/octet-stream', accept: 'application/json' },
      body,
      timeoutMs: 30_000,
      deadlineMs: deps.timeoutMs ?? 15 * 60_000,
      maxResponseBytes: SMALL_ANSWER_BYTES,
    })
  } catch (error) {
    // Too large is no receipt: like any unreadable answer the bundle may or may not have landed (importing again is safe).
    if (error instanceof ResponseTooLargeError) throw new DomainError('unavailable', 'central answered something that is not a bundle receipt (too large)', { reason: 'bad_answer' })
    const reason = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network'
    throw new DomainError('unavailable', `central unreachable (${reason})`, { reason })
  }
  const text = response.text

  const status = response.status
  const central = reasonOf(text)
  if (status === 401 || status === 403) throw new DomainError('forbidden', 'central refused this kiosk\'s token', { reason: 'token_refused' })
  if (status === 409) throw new DomainError('conflict', 'central holds another bundle under this id', { reason: central.code ?? 'bundle_conflict' })
  if (status === 422) throw new DomainError('invalid_input', 'central refused the bundle: damaged, or not from an enrolled kiosk', { reason: central.reason ?? 'invalid_bundle' })
  if (status === 413) throw new DomainError('invalid_input', 'the bundle is larger than central accepts', { reason: 'too_large' })
  if (status !== 200) throw new DomainError('unavailable', `central answered ${status}`, { reason: 'server', status })
  let answer: BundleAnswer
  try {
    const parsed = BundleAnswerSchema.safeParse(JSON.parse(text))
    if (!parsed.success || parsed.data.bundleId !== header.bundleId) throw new Error('not our answer')
    answer = parsed.data
  } catch {
    // Not an answer about this bundle (a captive portal, a cut body): it may or may not have landed; importing
    // again is safe, central applies a bundle once.
    throw new DomainError('unavailable', 'central answered something that is not a bundle receipt', { reason: 'bad_answer' })
  }
  return { answer, replayed: response.header('idempotent-replayed') === 'true' }
}

/**
 * Posts a bundle held in memory (a desk relaying its neighbour's record, issue 22.2): checked as far as a desk can
 * without central's key, posted as it is, no audit row (the relay logs). Same errors as importBundle.
 */
export async function importBundleBytes(deps: ImportDeps, bytes: Buffer): Promise<ImportResult> {
  const credentials = deps.credentials()
  if (!credentials) throw new DomainError('forbidden', 'this kiosk is not enrolled', { reason: 'not_enrolled' })
  let header: BundleHeader
  try {
    header = decodePrefix(bytes).header
  } catch (error) {
    if (error instanceof BundleError) throw new DomainError('invalid_input', `not a readable Posko bundle: ${error.message}`, { reason: error.reason })
    throw error
  }
  const { answer, replayed } = await postBundle(deps, credentials, header, {
    length: bytes.length,
    chunks: (async function* () {
      yield bytes
    })(),
  })
  return { ...answer, replayed, bytes: bytes.length }
}

/**
 * Uploads a bundle another kiosk exported. This kiosk can't read it (it is encrypted to central), so it checks
 * only that the file is a bundle, then streams the file as it is to central, which verifies, decrypts and applies
 * it exactly once per bundle id.
 */
export async function importBundle(deps: ImportDeps, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const credentials = deps.credentials()
  if (!credentials) throw new DomainError('forbidden', 'this kiosk is not enrolled', { reason: 'not_enrolled' })
  if (!isAbsolute(file)) throw new DomainError('invalid_input', 'bundle path must be absolute', { reason: 'file' })
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw new DomainError('invalid_input', 'bundle file not found', { reason: 'file' })
  let header: BundleHeader
  try {
    header = await readBundleHeader(file)
  } catch (error) {
    if (error instanceof BundleError) throw new DomainError('invalid_input', `not a readable Posko bundle: ${error.message}`, { reason: error.reason })
    throw error
  }

  const totalBytes = info.size
  const { answer, replayed } = await postBundle(deps, credentials, header, { length: totalBytes, chunks: fileChunks(file, (sentBytes) => options.onProgress?.({ sentBytes, totalBytes })) })
  deps.audit?.append({
    actor: options.actor?.operatorId ?? null,
    action: 'import',
    details: { bundleId: answer.bundleId, postId: answer.postId, records: answer.records, accepted: answer.accepted, duplicate: answer.duplicate, rejected: answer.rejected, replayed, file: basename(file) },
  })
  deps.logger.info('bundle: imported', { bundleId: answer.bundleId, postId: answer.postId, records: answer.records, replayed })
  return { ...answer, replayed, bytes: totalBytes }
}
