import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { DomainError } from '../../../common/result'
import { writeFileDurable } from '../platform/durable-file'
import type { Logger } from '../platform/logger'
import type { RosterKiosk } from '../platform/post-roster'
import type { PeerBackupRepository } from '../store/peer-backup'
import type { PeerConnection } from './channel'
import { PeerRequestError } from './channel'

/**
 * Restoring a desk (issue 22.4): a reinstalled or replaced desk, enrolled again to the same post (so it has a new
 * kiosk id), asks its peers for every bundle they hold of its old self (`backup.fetch`, in pages) and hands each to
 * central's bundle import, which dedups by record id. Nothing is decrypted at the post: the bundles stay sealed to
 * central and signed by the old desk's key, which central still accepts as long as that desk was not revoked.
 *
 * Any desk of the post may fetch any desk's bundles: they are unreadable here, and every desk already holds them.
 */
export const BACKUP_FETCH = 'backup.fetch'
const PAGE_BUNDLES = 16
/** Raw bytes per answer: as base64 under the channel's 4 MB frame. */
const PAGE_BYTES = 2 * 1024 * 1024
/** How long a restore waits for every connected desk to answer. */
const COLLECT_MS = 30_000

const KeyId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)
/** Fields this version does not know are dropped by the parse, in a request and in an answer (as backup.ts's). */
const FetchRequest = z.object({ origin: KeyId, after: z.string().max(64).nullable() })
const RecordId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
const FetchAnswer = z.object({
  bundles: z.array(z.object({ recordId: RecordId, bundle: z.base64() })).max(PAGE_BUNDLES),
  more: z.boolean(),
})

export interface RestoreResult {
  /** The old desk restored from. */
  kioskId: string
  /** Desks that answered. */
  desks: number
  /** Distinct records found at the desks. */
  records: number
  accepted: number
  duplicate: number
  rejected: number
  /** Bundles central refused whole (a revoked desk's key, a damaged copy): kept on disk for IT. */
  failed: number
}

export interface RestoreDeps {
  repo: Pick<PeerBackupRepository, 'held'>
  /** Where fetched bundles wait for the import (inside the data directory). */
  directory: string
  /** The bundle service's import (one at a time). */
  importBundle(file: string): Promise<{ accepted: number; duplicate: number; rejected: number }>
  /** The desks connected now (the mesh's). */
  connected(): PeerConnection[]
  /** Runs `fn` on a connection between the mesh's own requests (a connection carries one request at a time). */
  onVisit(fn: (connection: PeerConnection) => Promise<void>): () => void
  logger: Logger
  audit?(details: Readonly<Record<string, string | number | boolean | null>>): void
}

export interface DeskRestore {
  /** The `backup.fetch` method other desks call. */
  serve(params: unknown, peer: RosterKiosk): unknown
  /** `onProgress`: bundles sent to central of those found (the restore screen's bar). */
  restore(oldKioskId: string, onProgress?: (progress: { done: number; total: number }) => void): Promise<RestoreResult>
}

export function createDeskRestore(deps: RestoreDeps): DeskRestore {
  const { logger } = deps
  let running = false

  async function fetchFrom(connection: PeerConnection, origin: string, root: string): Promise<void> {
    // A folder per desk: two desks answer at once, often with the same records.
    const into = join(root, connection.peer.kioskId)
    mkdirSync(into, { recursive: true, mode: 0o700 })
    let after: string | null = null
    for (;;) {
      const answer = FetchAnswer.safeParse(await connection.request(BACKUP_FETCH, { origin, after }))
      if (!answer.success) {
        logger.warn('restore: a desk answered the fetch with something else', { kioskId: connection.peer.kioskId })
        return
      }
      for (const { recordId, bundle } of answer.data.bundles) writeFileDurable(join(into, `${recordId}.pkb`), Buffer.from(bundle, 'base64'))
      if (!answer.data.more || answer.data.bundles.length === 0) return
      after = answer.data.bundles.at(-1)!.recordId
    }
  }

  return {
    serve(params) {
      const request = FetchRequest.safeParse(params)
      if (!request.success) throw new PeerRequestError('bad_request')
      const all = deps.repo.held(request.data.origin).sort((x, y) => x.recordId.localeCompare(y.recordId))
      const after = request.data.after
      const rest = after === null ? all : all.filter((b) => b.recordId > after)
      const page: Array<{ recordId: string; bundle: string }> = []
      let bytes = 0
      for (const b of rest) {
        if (page.length >= PAGE_BUNDLES || (page.length > 0 && bytes + b.bundle.length > PAGE_BYTES)) break
        page.push({ recordId: b.recordId, bundle: b.bundle.toString('base64') })
        bytes += b.bundle.length
      }
      return { bundles: page, more: page.length < rest.length }
    },

    async restore(oldKioskId, onProgress) {
      if (running) throw new DomainError('conflict', 'a restore is already running', { reason: 'busy' })
      running = true
      const into = join(deps.directory, oldKioskId)
      try {
        mkdirSync(into, { recursive: true, mode: 0o700 })
        const waiting = new Set(deps.connected().map((c) => c.peer.kioskId))
        if (waiting.size === 0) throw new DomainError('unavailable', 'no other desk of the post is connected', { reason: 'no_peers' })
        let desks = 0
        let finished = 0
        const expected = waiting.size
        // Each connected desk once, on the mesh's next visit to it (never beside a request of the mesh's own).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            stop()
            resolve()
          }, COLLECT_MS)
          const stop = deps.onVisit(async (connection) => {
            const kioskId = connection.peer.kioskId
            if (!waiting.has(kioskId)) return
            waiting.delete(kioskId)
            try {
              await fetchFrom(connection, oldKioskId, into)
              desks++
            } catch (error) {
              logger.warn('restore: fetching from a desk failed', { kioskId, error: (error as Error).message })
            }
            if (++finished === expected) {
              clearTimeout(timer)
              stop()
              resolve()
            }
          })
        })
        // One copy per record (the desks hold the same ones); the others are left for the next restore to reuse.
        const byRecord = new Map<string, string>()
        for (const desk of readdirSync(into)) {
          for (const file of readdirSync(join(into, desk)).filter((f) => f.endsWith('.pkb'))) if (!byRecord.has(file)) byRecord.set(file, join(into, desk, file))
        }
        const result: RestoreResult = { kioskId: oldKioskId, desks, records: byRecord.size, accepted: 0, duplicate: 0, rejected: 0, failed: 0 }
        let done = 0
        onProgress?.({ done, total: byRecord.size })
        for (const [file, path] of byRecord) {
          try {
            const answer = await deps.importBundle(path)
            result.accepted += answer.accepted
            result.duplicate += answer.duplicate
            result.rejected += answer.rejected
            // Central has it: every desk's copy here can go.
            for (const desk of readdirSync(into)) rmSync(join(into, desk, file), { force: true })
          } catch (error) {
            result.failed++
            logger.error('restore: central refused a restored bundle; kept for IT', { file, error: (error as Error).message })
          }
          onProgress?.({ done: ++done, total: byRecord.size })
        }
        logger.info('restore: done', { ...result })
        deps.audit?.({ ...result })
        return result
      } finally {
        running = false
      }
    },
  }
}
