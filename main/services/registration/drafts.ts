import { v7 as uuidv7 } from 'uuid'
import type { ParkedDraft, ResumedDraft } from '../../../common/drafts'
import { DraftForm, DraftStep, ParkDraftInput } from '../../../common/drafts'
import type { z } from 'zod'
import { DomainError } from '../../../common/result'
import type { Logger } from '../platform/logger'
import type { AuditLog } from '../store/audit'
import type { DraftRow, DraftsRepository } from '../store/drafts'
import { draftAad } from '../store/drafts'
import type { Vault } from '../security/vault'
import type { Actor } from './service'

/**
 * The expiry rule (issue 19.2, docs/design-notes.md): a parked draft lasts until the end of the kiosk's day on which it
 * was parked (local midnight). Long enough for an applicant to fetch a document and come back; never overnight, so a
 * kiosk does not keep half-registered people it will never send, and a resumed draft still gets today's receipt.
 * Expired drafts and the photos only they held are erased on the retention rounds (kiosk.ts passes the purge in).
 */
export function draftExpiry(parkedAt: Date): Date {
  return new Date(parkedAt.getFullYear(), parkedAt.getMonth(), parkedAt.getDate() + 1)
}

export interface DraftServiceDeps {
  repo: DraftsRepository
  vault: Vault
  audit: AuditLog
  logger: Logger
  now: () => Date
}

const view = (row: DraftRow): ParkedDraft => ({
  id: row.id,
  number: row.number,
  parkedAt: row.parked_at,
  expiresAt: row.expires_at,
  step: DraftStep.parse(row.step),
  photos: row.photos,
})

export function createDraftService(deps: DraftServiceDeps) {
  const { repo, vault, audit, now } = deps

  function purgeExpired(actor: string | null = null): { drafts: number; photos: number } {
    const counts = repo.deleteExpired(now().toISOString())
    if (counts.drafts > 0) {
      audit.append({ actor, action: 'draft_expire', details: { drafts: counts.drafts, photos: counts.photos } })
      deps.logger.info('parked drafts expired', counts)
    }
    return counts
  }

  return {
    park(input: z.infer<typeof ParkDraftInput>, actor: Actor): ParkedDraft {
      const at = now()
      const id = uuidv7({ msecs: at.getTime() })
      // Only photos this kiosk holds and no record claimed: a draft can't take hold of someone else's photo.
      const photos = repo.unclaimedPhotos(input.photos)
      if (photos.length !== new Set(input.photos).size) {
        throw new DomainError('invalid_input', 'a photo of this draft is not on this kiosk', undefined, [{ path: ['photos'], code: 'custom', message: 'validation.photo_unknown' }])
      }
      const sealed = vault.seal(Buffer.from(JSON.stringify({ form: input.form, step: input.step }), 'utf8'), draftAad(id))
      const expiresAt = draftExpiry(at).toISOString()
      repo.park({ id, sealed, step: input.step, operatorId: actor.operatorId, parkedAt: at.toISOString(), expiresAt, photos })
      audit.append({ actor: actor.operatorId, action: 'draft_park', details: { draft: id, step: input.step, photos: photos.length } })
      return view(repo.get(id) as DraftRow)
    },

    list(): { drafts: ParkedDraft[] } {
      return { drafts: repo.list(now().toISOString()).map(view) }
    },

    /** The draft back in the renderer: gone from the store (a draft is worked on in one place at a time). */
    resume(id: string, actor: Actor): ResumedDraft {
      const at = now().toISOString()
      const row = repo.get(id)
      if (!row || row.expires_at <= at) throw new DomainError('not_found', 'No such parked draft (resumed elsewhere, or expired)')
      const plain = JSON.parse(vault.open(row.sealed, draftAad(id)).toString('utf8')) as { form: unknown; step: unknown }
      const resumed = { form: DraftForm.parse(plain.form), step: DraftStep.parse(plain.step) }
      if (!repo.take(id, at)) throw new DomainError('not_found', 'No such parked draft (resumed elsewhere)')
      audit.append({ actor: actor.operatorId, action: 'draft_resume', details: { draft: id, number: row.number } })
      return resumed
    },

    purgeExpired,
  }
}

export type DraftService = ReturnType<typeof createDraftService>
