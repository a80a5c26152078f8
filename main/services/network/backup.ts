import { z } from 'zod'
import type { Logger } from '../platform/logger'
import type { RosterKiosk } from '../platform/post-roster'
import type { HeldBundle, PeerBackupRepository } from '../store/peer-backup'
import type { PeerConnection } from './channel'
import { ChannelError, PeerRequestError } from './channel'

/**
 * Peer backup (issue 22.1): every desk hands each of its records central has not answered yet, with its photos, to
 * every other desk it is connected to, as a sealed bundle of the USB format (encrypted to central's key, signed by
 * this desk: the peer cannot read it). One bundle per record: a record is handed over in the mesh round after its
 * commit (250 ms), a bundle is one record and its photos (well under the channel's 4 MB frame), and a peer drops it
 * the moment the post log carries that record's answer from central, with no partial bundles to track.
 *
 * The peer checks what it can without reading it — the bundle's prefix, that it is for this post and signed (by
 * header) by the very desk that sent it over mutual TLS, one record — and holds it within a quota. Refusals answer a
 * typed code, are logged, and store nothing.
 */
export const BACKUP_PUT = 'backup.put'
/** Records handed to one desk per visit: a long backlog yields to the log pull and the other desks in between. */
export const GIVES_PER_VISIT = 64
/** What a desk holds for all others together, by default (a record with two photos is ~200–400 KB). */
export const DEFAULT_QUOTA_BYTES = 2 * 1024 ** 3

const RecordId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
/** Bundles per request, and raw bytes (as base64 under the channel's 4 MB frame; one bigger bundle goes alone). */
const PUT_BUNDLES = 32
const PUT_BYTES = 2 * 1024 * 1024
/**
 * A field this version does not know, in a request or an answer, is dropped by the parse (`z.object` strips it) and
 * the rest read as before: a desk of a later version that adds one is still served and still understood (design
 * notes, "Mixed versions at a post"). What is held or logged is only what these schemas name.
 */
const PutRequest = z.object({ bundles: z.array(z.object({ recordId: RecordId, bundle: z.base64() })).min(1).max(PUT_BUNDLES) })
const PutAnswer = z.object({ storeId: z.string().regex(/^[0-9a-f-]{36}$/), held: z.number().int().nonnegative() })

export type BackupRefusal = 'bad_bundle' | 'other_post' | 'wrong_kiosk' | 'over_quota'

export interface SealedRecord {
  bundleId: string
  bundle: Buffer
}

export interface PeerBackupDeps {
  repo: PeerBackupRepository
  postId: string
  /** This store's id (made with the store): a desk that was replaced answers with another. */
  storeId: () => string
  /** The record as a bundle of one (bundle/record-bundle.ts); null when it cannot be sealed (not enrolled, gone). */
  seal(recordId: string): Promise<SealedRecord | null>
  /** A bundle's readable header, checked as far as one can without central's key; throws on anything else. */
  inspect(bundle: Buffer): { bundleId: string; postId: string; kioskKeyId: string; records: number }
  quotaBytes?: number
  retentionDays: number
  logger: Logger
  now: () => Date
  /** Something this desk gave became safe (the home screen's count). */
  onSafe?(): void
}

export interface PeerBackup {
  /** The `backup.put` method other desks call. */
  serve(params: unknown, peer: RosterKiosk): { storeId: string; held: number }
  /** Hands the connected desk what it does not hold yet of this desk's records. Returns how many it took. */
  give(connection: PeerConnection): Promise<number>
  /** Drops bundles held longer than the retention days. */
  sweep(): number
}

export function createPeerBackup(deps: PeerBackupDeps): PeerBackup {
  const { repo, logger } = deps
  const quota = deps.quotaBytes ?? DEFAULT_QUOTA_BYTES
  const fullPeers = new Set<string>()

  function refuse(reason: BackupRefusal, peer: RosterKiosk, message: string): never {
    logger.warn('backup: refused a bundle from a desk', { kioskId: peer.kioskId, desk: peer.name, reason, message })
    throw new PeerRequestError(reason)
  }

  function sweep(): number {
    const before = new Date(deps.now().getTime() - deps.retentionDays * 24 * 3600 * 1000).toISOString()
    const dropped = repo.dropOlderThan(before)
    if (dropped > 0) logger.info('backup: dropped bundles held past the retention days', { dropped })
    return dropped
  }

  return {
    serve(params, peer) {
      const request = PutRequest.safeParse(params)
      if (!request.success) refuse('bad_bundle', peer, 'not a backup request')
      const storeId = deps.storeId()
      // Every bundle of the request is checked before any is stored: one bad bundle refuses the request whole.
      const entries: HeldBundle[] = []
      const seen = new Set<string>()
      for (const item of request.data.bundles) {
        if (seen.has(item.recordId)) refuse('bad_bundle', peer, 'the same record twice in one request')
        seen.add(item.recordId)
        const bundle = Buffer.from(item.bundle, 'base64')
        let header: ReturnType<PeerBackupDeps['inspect']>
        try {
          header = deps.inspect(bundle)
        } catch (error) {
          refuse('bad_bundle', peer, (error as Error).message)
        }
        if (header.records !== 1) refuse('bad_bundle', peer, `a backup bundle holds one record, not ${header.records}`)
        if (header.postId !== deps.postId) refuse('other_post', peer, `bundle of post ${header.postId}`)
        // TLS proved who is sending: a desk hands over only bundles it signed itself.
        if (header.kioskKeyId !== peer.kioskId) refuse('wrong_kiosk', peer, 'bundle signed by another desk than the one sending it')
        if (repo.settled(peer.kioskId, item.recordId)) continue
        entries.push({ originKioskId: peer.kioskId, recordId: item.recordId, bundleId: header.bundleId, bundle })
      }
      const after = entries.reduce((n, e) => n - repo.heldSize(peer.kioskId, e.recordId) + e.bundle.length, repo.heldBytes())
      if (after > quota) refuse('over_quota', peer, `${after} bytes would pass the quota of ${quota}`)
      repo.hold(entries, deps.now().toISOString())
      return { storeId, held: entries.length }
    },

    async give(connection) {
      const peer = connection.peer.kioskId
      let given = 0
      const pending = repo.notGivenTo(peer, GIVES_PER_VISIT)
      while (pending.length > 0) {
        // A page of bundles per request, stored in one transaction at each end.
        const page: Array<{ recordId: string; bundle: string }> = []
        let bytes = 0
        while (pending.length > 0 && page.length < PUT_BUNDLES && bytes < PUT_BYTES) {
          const recordId = pending.shift()!
          const sealed = await deps.seal(recordId)
          if (!sealed) continue
          page.push({ recordId, bundle: sealed.bundle.toString('base64') })
          bytes += sealed.bundle.length
        }
        if (page.length === 0) break
        let raw: unknown
        try {
          raw = await connection.request(BACKUP_PUT, { bundles: page })
        } catch (error) {
          if (error instanceof ChannelError && error.code === 'remote_error') {
            // Logged once per desk while it stays full; the next visit tries again (it may have dropped some).
            if (error.reason === 'over_quota' && fullPeers.has(peer)) break
            if (error.reason === 'over_quota') fullPeers.add(peer)
            logger.warn('backup: a desk refused bundles', { kioskId: peer, records: page.length, reason: error.reason })
            break
          }
          throw error
        }
        const answer = PutAnswer.safeParse(raw)
        if (!answer.success) {
          logger.warn('backup: a desk answered bundles with something else', { kioskId: peer })
          break
        }
        fullPeers.delete(peer)
        const forgotten = repo.forgetIfReplaced(peer, answer.data.storeId)
        if (forgotten > 0) logger.warn('backup: a desk\'s store was replaced; what it held is given again', { kioskId: peer, forgotten })
        repo.given(page.map((p) => p.recordId), peer, answer.data.storeId, deps.now().toISOString())
        given += page.length
      }
      if (given > 0) deps.onSafe?.()
      return given
    },

    sweep,
  }
}
