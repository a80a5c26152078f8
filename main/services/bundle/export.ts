import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import type { RegistrationRecord } from '../../../common/registration'
import { DomainError } from '../../../common/result'
import { localStamp } from '../platform/clock'
import { driveWriteRefusal } from '../platform/disk'
import { writeFileDurableStreamed } from '../platform/durable-file'
import type { KioskCredentials } from '../platform/identity'
import type { Logger } from '../platform/logger'
import type { AuditLog } from '../store/audit'
import type { OutboxItem, OutboxRepository } from '../store/outbox'
import { BUNDLE_EXTENSION } from './format'
import { createBundleSealer } from './sealer'

/** Photos the exported records reference that central may not have (the photo service's `source()`). */
export interface BundlePhotoSource {
  pendingFor(records: readonly RegistrationRecord[]): Array<{ sha256: string; load(): Buffer | Promise<Buffer> }>
}

export type BundleKeys = Pick<KioskCredentials, 'postId' | 'centralPublicKey' | 'kioskSigningKey' | 'kioskKeyId'>

export interface ExportDeps {
  queue: Pick<OutboxRepository, 'claimForExport' | 'releaseExport'>
  /** Decrypts and parses an outbox item's record (the uploader's openRecord). */
  openRecord(item: OutboxItem): RegistrationRecord
  photos?: BundlePhotoSource
  credentials(): BundleKeys | null
  now(): Date
  logger: Logger
  audit?: Pick<AuditLog, 'append'>
  /** Records changed state (queued → exported): the home screen's counts. */
  onRecordsChanged?(): void
}

export interface ExportOptions {
  /** Absolute path of the folder to write into (usually a USB stick's). */
  directory: string
  onProgress?(progress: { done: number; total: number }): void
  actor?: { operatorId: string | null }
}

export interface ExportResult {
  file: string
  bundleId: string
  records: number
  photos: number
  bytes: number
}

/** posko-<post>-<yyyymmdd-hhmmss>.pkb in the kiosk's local time: what staff read on the stick's label. */
export function bundleFileName(postId: string, at: Date): string {
  return `posko-${postId}-${localStamp(at)}${BUNDLE_EXTENSION}`
}

async function checkDirectory(directory: string): Promise<void> {
  if (!isAbsolute(directory)) throw new DomainError('invalid_input', 'export folder must be an absolute path', { reason: 'directory' })
  const info = await stat(directory).catch(() => null)
  if (!info?.isDirectory()) throw new DomainError('invalid_input', 'export folder does not exist', { reason: 'directory' })
}

/** Disk errors in the words staff can act on: a full stick, a read-only one. Anything else stays an internal error. */
function diskError(error: unknown): unknown {
  return driveWriteRefusal(error) ?? error
}

function photoRefs(record: RegistrationRecord): string[] {
  return [record.photos.face?.sha256, record.photos.card?.sha256].filter((s): s is string => s !== undefined)
}

/**
 * Writes every record still to upload, with its photos, into one bundle file (format.ts), durably. The queued records become `exported`;
 * their outbox rows stay, so whichever reaches central first (the bundle or the uploader) wins and the other gets
 * the same answer.
 */
export async function exportBundle(deps: ExportDeps, options: ExportOptions): Promise<ExportResult> {
  const { logger } = deps
  const keys = deps.credentials()
  if (!keys) throw new DomainError('forbidden', 'this kiosk is not enrolled', { reason: 'not_enrolled' })
  await checkDirectory(options.directory)
  const at = deps.now()
  const { items, marked } = deps.queue.claimForExport(at.toISOString())
  try {
    const records: RegistrationRecord[] = []
    for (const item of items) {
      try {
        records.push(deps.openRecord(item))
      } catch (error) {
        // One unreadable record must not keep the rest off the stick; it stays queued for staff to see.
        logger.error('bundle: record skipped, cannot be opened', { recordId: item.recordId, error: (error as Error).message })
        deps.queue.releaseExport([item.recordId])
      }
    }
    if (records.length === 0) throw new DomainError('not_found', 'no records are waiting for upload', { reason: 'nothing_to_export' })
    const pending = new Map((deps.photos?.pendingFor(records) ?? []).map((p) => [p.sha256, p]))

    const bundleId = randomUUID()
    const sealer = createBundleSealer({
      bundleId,
      postId: keys.postId,
      createdAt: at.toISOString(),
      records: records.length,
      photos: pending.size,
      kioskKeyId: keys.kioskKeyId,
      centralPublicKey: keys.centralPublicKey,
      kioskSigningKey: keys.kioskSigningKey,
    })
    let file = join(options.directory, bundleFileName(keys.postId, at))
    // Two exports in one second must not overwrite each other (rename replaces silently, and FAT has no links).
    if (existsSync(file)) file = file.replace(BUNDLE_EXTENSION, `-${bundleId.slice(0, 8)}${BUNDLE_EXTENSION}`)
    let bytes = 0
    // Temp file, fsync, rename: a pulled stick leaves no half bundle under the real name.
    await writeFileDurableStreamed(file, async (out) => {
      const write = async (chunk: Buffer) => {
        await out.write(chunk)
        bytes += chunk.length
      }
      const writePhoto = async (sha256: string) => {
        const photo = pending.get(sha256)
        if (!photo) return
        pending.delete(sha256)
        const jpeg = await photo.load()
        // A photo that no longer matches its hash would make central refuse the whole bundle: say so here instead.
        if (createHash('sha256').update(jpeg).digest('hex') !== sha256) throw new Error(`photo ${sha256} does not match its hash`)
        await write(sealer.photo(sha256, jpeg))
      }

      await write(sealer.prefix)
      // Photos no exported record names (the source's choice) go first; the rest go just before their record.
      const named = new Set(records.flatMap(photoRefs))
      for (const sha256 of [...pending.keys()].filter((s) => !named.has(s))) await writePhoto(sha256)
      for (const [i, record] of records.entries()) {
        for (const sha256 of photoRefs(record)) await writePhoto(sha256)
        await write(sealer.record(JSON.stringify(record)))
        options.onProgress?.({ done: i + 1, total: records.length })
      }
      await write(sealer.finish())
    })

    const photos = sealer.header.photos
    deps.audit?.append({ actor: options.actor?.operatorId ?? null, action: 'export', details: { bundleId, records: records.length, photos, file: basename(file) } })
    logger.info('bundle: exported', { bundleId, records: records.length, photos, bytes })
    deps.onRecordsChanged?.()
    return { file, bundleId, records: records.length, photos, bytes }
  } catch (error) {
    deps.queue.releaseExport(marked)
    throw diskError(error)
  }
}
