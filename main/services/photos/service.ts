import type { PhotoKind, PhotoVerdict } from '../../../common/photos'
import type { PhotoThresholds } from '../../../common/photo-thresholds'
import type { RegistrationDraft, RegistrationRecord } from '../../../common/registration'
import { isOverridden } from '../../../common/registration'
import type { Issue } from '../../../common/result'
import type { Logger } from '../platform/logger'
import type { Vault } from '../security/vault'
import type { PhotosRepository } from '../store/photos'
import { photoAad } from '../store/photos'
import { DomainError } from '../../../common/result'
import type { FaceDetector } from './face-detector'
import type { PhotoResult } from './process'
import { processPhoto } from './process'
import type { Sharp } from './sharp-loader'
import { captureFromWebcam } from './webcam'

export interface PhotoServiceDeps {
  repo: PhotosRepository
  vault: Vault
  thresholds: PhotoThresholds
  /** Created on first use: loading the face model costs a few hundred ms nobody should wait for at start-up. */
  detector: () => FaceDetector
  cameraDevice: string
  logger: Logger
  now: () => Date
  /** The image library, loaded on first use by default (sharp-loader.ts); injected by tests. */
  sharp?: () => Sharp
}

const SLOTS = ['face', 'card'] as const

/** Photos: process and store (sealed) what the camera gave, check a draft's references, feed the uploader. */
export function createPhotoService(deps: PhotoServiceDeps) {
  const { repo, vault } = deps

  function toVerdict(kind: PhotoKind, result: PhotoResult): PhotoVerdict {
    const stored = result.jpeg.length > 0
    return {
      kind,
      verdict: result.verdict,
      checks: result.checks,
      sha256: stored ? result.sha256 : null,
      width: result.width,
      height: result.height,
      bytes: result.bytes,
      preview: stored ? `data:image/jpeg;base64,${result.jpeg.toString('base64')}` : '',
    }
  }

  async function processAndStore(kind: PhotoKind, bytes: Uint8Array): Promise<PhotoVerdict> {
    const result = await processPhoto(bytes, kind, { detector: kind === 'face' ? deps.detector() : null, thresholds: deps.thresholds, sharp: deps.sharp })
    // A failing photo is kept too: staff may override the verdict with a reason. Unclaimed ones are purged later.
    if (result.jpeg.length > 0) {
      repo.insert({
        sha256: result.sha256,
        kind,
        verdict: result.verdict,
        sealed: vault.seal(result.jpeg, photoAad(result.sha256)),
        bytes: result.bytes,
        createdAt: deps.now().toISOString(),
      })
    }
    deps.logger.info('photo processed', { kind, verdict: result.verdict, failed: result.checks.filter((c) => !c.ok).map((c) => c.id).join(',') })
    return toVerdict(kind, result)
  }

  return {
    process: (kind: PhotoKind, jpegBase64: string) => processAndStore(kind, Buffer.from(jpegBase64, 'base64')),

    async capture(kind: PhotoKind): Promise<PhotoVerdict> {
      const frame = await captureFromWebcam({ device: deps.cameraDevice, width: 1280, height: 720, logger: deps.logger })
      return processAndStore(kind, frame)
    },

    /**
     * What a draft's photo references must satisfy before it is committed: each required photo present, stored
     * on this kiosk as the right kind, and passed, or failed with an operator's override reason (never in
     * self-service). Answers field issues (i18n keys) and whether any override was used.
     */
    checkDraft(draft: RegistrationDraft, options: { required: boolean; selfService: boolean }): { issues: Issue[]; overrides: PhotoKind[] } {
      const issues: Issue[] = []
      const overrides: PhotoKind[] = []
      for (const slot of SLOTS) {
        const ref = draft.photos[slot]
        const path = ['photos', slot]
        if (ref === null) {
          if (options.required) issues.push({ path, code: 'custom', message: 'validation.photo_required' })
          continue
        }
        const row = repo.get(ref.sha256)
        if (!row || row.kind !== slot || row.sealed === null) {
          issues.push({ path: [...path, 'sha256'], code: 'custom', message: 'validation.photo_unknown' })
          continue
        }
        if (isOverridden(ref)) {
          if (options.selfService) issues.push({ path: [...path, 'overrideReason'], code: 'custom', message: 'validation.photo_override_not_allowed' })
          else overrides.push(slot)
        } else if (row.verdict !== 'pass') {
          issues.push({ path, code: 'custom', message: 'validation.photo_failed' })
        }
      }
      return { issues, overrides }
    },

    /** Claims the draft's photos for the committed record (call inside the submit transaction). */
    link(draft: RegistrationDraft, recordId: string): void {
      const shas = SLOTS.map((s) => draft.photos[s]?.sha256).filter((s): s is string => s !== undefined)
      repo.link(shas, recordId)
    },

    /** The records' photos central has not confirmed yet (what an offline bundle takes along), read when loaded. */
    pendingFor(records: readonly RegistrationRecord[]): Array<{ sha256: string; load(): Buffer }> {
      const shas = [...new Set(records.flatMap((r) => SLOTS.map((s) => r.photos[s]?.sha256).filter((s): s is string => s !== undefined)))]
      return repo.notUploaded(shas).map((row) => ({ sha256: row.sha256, load: () => vault.open(row.sealed as Buffer, photoAad(row.sha256)) }))
    },

    /**
     * A stored photo for a thumbnail. `draftOnly` (no staff signed in: the applicant at a self-service kiosk) shows
     * only photos no record has claimed yet: the draft on screen, never someone's stored registration.
     */
    preview(sha256: string, options: { draftOnly: boolean }): { preview: string } {
      const row = repo.get(sha256)
      if (!row || row.sealed === null || (options.draftOnly && row.record_id !== null)) throw new DomainError('not_found', 'No such photo')
      return { preview: `data:image/jpeg;base64,${vault.open(row.sealed, photoAad(row.sha256)).toString('base64')}` }
    },

    purgeOrphans(olderThanMs: number): number {
      return repo.deleteOrphans(new Date(deps.now().getTime() - olderThanMs).toISOString())
    },
  }
}

export type PhotoService = ReturnType<typeof createPhotoService>
