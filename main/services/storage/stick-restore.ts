import { readdirSync, readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { RestoreDeskResult, StickDesk } from '../../../common/backup'
import { DomainError } from '../../../common/result'
import type { Logger } from '../platform/logger'
import { MARKER_FILE, STICK_FOLDER } from './stick-backup'

/**
 * Restoring a desk from a backup stick (issue 22.4): a reinstalled desk, enrolled again (a new kiosk id), sends the
 * bundles its old self wrote to the stick to central's bundle import, which checks the old desk's signature and
 * dedups by record id. Nothing is decrypted at the post, and nothing on the stick is changed: it stays the backup
 * until central has answered, and a second restore from it only hears central's earlier answers.
 */
export interface StickRestoreDeps {
  postId: string
  /** This desk's own kiosk id (its folder is no one to restore). */
  kioskId(): string | null
  /** The bundle service's import (one at a time); throws when central refuses the bundle whole. */
  importBundle(file: string): Promise<{ accepted: number; duplicate: number; rejected: number }>
  /** The bundle's readable header (bundle/reader.ts): the newest copy of a record wins. */
  createdAt(file: string): Promise<string>
  logger: Logger
  audit?(details: Readonly<Record<string, string | number | boolean | null>>): void
}

const FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[0-9a-f]{16}\.pkb$/
const KIOSK_ID = /^[A-Za-z0-9_-]{1,64}$/

function root(directory: string): string {
  if (!isAbsolute(directory)) throw new DomainError('invalid_input', 'the stick must be an absolute path', { reason: 'directory' })
  return join(directory, STICK_FOLDER)
}

function markerOf(folder: string): { postId?: unknown } | null {
  try {
    return JSON.parse(readFileSync(join(folder, MARKER_FILE), 'utf8')) as { postId?: unknown }
  } catch {
    return null
  }
}

/** The desks of this post with a folder on the stick, most recently written first. */
export function stickDesks(deps: Pick<StickRestoreDeps, 'postId' | 'kioskId'>, directory: string): StickDesk[] {
  const base = root(directory)
  let names: string[]
  try {
    names = readdirSync(base)
  } catch {
    throw new DomainError('invalid_input', 'no Posko backup on this drive', { reason: 'no_backup' })
  }
  const desks: StickDesk[] = []
  for (const kioskId of names.filter((n) => KIOSK_ID.test(n))) {
    const folder = join(base, kioskId)
    if (markerOf(folder)?.postId !== deps.postId) continue
    let records = 0
    let bytes = 0
    let newest = 0
    for (const name of readdirSync(folder)) {
      if (!FILE.test(name)) continue
      const info = statSync(join(folder, name))
      records++
      bytes += info.size
      newest = Math.max(newest, info.mtimeMs)
    }
    desks.push({ kioskId, records, bytes, lastWrittenAt: newest > 0 ? new Date(newest).toISOString() : null, thisDesk: kioskId === deps.kioskId() })
  }
  return desks.sort((a, b) => (b.lastWrittenAt ?? '').localeCompare(a.lastWrittenAt ?? '') || a.kioskId.localeCompare(b.kioskId))
}

export async function restoreFromStick(
  deps: StickRestoreDeps,
  directory: string,
  oldKioskId: string,
  onProgress?: (progress: { done: number; total: number }) => void,
): Promise<RestoreDeskResult> {
  const { logger } = deps
  const folder = join(root(directory), oldKioskId)
  if (!KIOSK_ID.test(oldKioskId) || markerOf(folder)?.postId !== deps.postId) {
    throw new DomainError('not_found', 'this stick holds no backup of that desk of this post', { reason: 'no_backup' })
  }
  // One file per record normally; a pull between writing a new version and removing the old leaves two: the newer goes.
  const byRecord = new Map<string, { file: string; createdAt: string }>()
  for (const name of readdirSync(folder).sort()) {
    const m = FILE.exec(name)
    if (!m) continue
    const file = join(folder, name)
    let createdAt: string
    try {
      createdAt = await deps.createdAt(file)
    } catch {
      createdAt = ''
    }
    const seen = byRecord.get(m[1]!)
    if (!seen || createdAt > seen.createdAt) byRecord.set(m[1]!, { file, createdAt })
  }
  const result = { kioskId: oldKioskId, desks: 0, records: byRecord.size, accepted: 0, duplicate: 0, rejected: 0, failed: 0, source: 'stick' as const }
  let done = 0
  onProgress?.({ done, total: byRecord.size })
  for (const { file } of byRecord.values()) {
    try {
      const answer = await deps.importBundle(file)
      result.accepted += answer.accepted
      result.duplicate += answer.duplicate
      result.rejected += answer.rejected
    } catch (error) {
      const reason = (error as DomainError).details?.reason
      // Central unreachable: no use going on; what was sent is at central, the rest is still on the stick.
      if (reason === 'network' || reason === 'timeout' || reason === 'not_enrolled' || reason === 'token_refused') throw error
      result.failed++
      logger.error('restore: central refused a bundle from the stick; it stays there for IT', { file: file.slice(-60), error: (error as Error).message })
    }
    onProgress?.({ done: ++done, total: byRecord.size })
  }
  logger.info('restore: done from a stick', { ...result })
  deps.audit?.({ ...result })
  return result
}
