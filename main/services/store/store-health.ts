import { z } from 'zod'
import type { StoreHealth } from '../../../common/backup'
import { DomainError } from '../../../common/result'
import type { SettingsRepository } from './settings'
import { readJsonSetting } from './settings'

/**
 * What `store.health` says (issue 22.5): the background integrity check's verdict, and the notice that this store
 * replaced one moved aside as damaged. The notice is a settings row of the fresh store (`storeMovedAside`), so it
 * stays on every start until a supervisor or IT dismisses it once read; dismissing marks the row (who, when) rather
 * than deleting it, so the store keeps saying it is not the original, and the audit log holds the dismissal. The
 * folder itself is never touched here: it is IT's to copy off and investigate.
 */
export const MOVED_ASIDE_SETTING = 'storeMovedAside'

// Not strict: a later version may add a field, and the notice must still read (a garbled row reads as no notice).
const MovedAside = z.object({
  folder: z.string().min(1).max(200),
  at: z.iso.datetime(),
  dismissed: z.object({ at: z.iso.datetime(), by: z.string().max(64).nullable() }).optional(),
})
type MovedAside = z.infer<typeof MovedAside>

export type CheckVerdict = { state: 'checking' | 'ok' | 'unchecked' } | { state: 'damaged'; at: string }

export interface StoreHealthKeeper {
  health(): StoreHealth
  /** This start moved a damaged database aside into `folder` (its name, beside the data). */
  movedAside(folder: string): void
  /** The background check's verdict. */
  checked(verdict: CheckVerdict): void
  /**
   * Dismisses the moved-aside notice the caller read (`folder`), and runs `record` (the audit row) in the same
   * transaction. `not_found`: no notice is shown (none, or dismissed already); `conflict`: the notice shown is
   * another folder's (a second move since the line was read). Either changes nothing.
   */
  dismissMovedAside(folder: string, by: string | null, record: (notice: { folder: string; at: string }) => void): StoreHealth
}

export function createStoreHealth(deps: { settings: SettingsRepository; now: () => Date; transaction?: <T>(fn: () => T) => T }): StoreHealthKeeper {
  const transaction = deps.transaction ?? (<T>(fn: () => T) => fn())
  let notice: MovedAside | null = readJsonSetting(deps.settings, MOVED_ASIDE_SETTING, MovedAside)
  let check: CheckVerdict = { state: 'checking' }
  return {
    health() {
      // Damage found in this store outranks the old notice: it asks for a restart now.
      if (check.state === 'damaged') return { state: 'damaged', folder: null, at: check.at }
      if (notice && !notice.dismissed) return { state: 'moved_aside', folder: notice.folder, at: notice.at }
      return { state: check.state, folder: null, at: null }
    },
    movedAside(folder) {
      const next = { folder, at: deps.now().toISOString() }
      deps.settings.set(MOVED_ASIDE_SETTING, JSON.stringify(next), deps.now())
      notice = next
    },
    checked(verdict) {
      check = verdict
    },
    dismissMovedAside(folder, by, record) {
      const shown = notice && !notice.dismissed ? notice : null
      if (!shown) throw new DomainError('not_found', 'No moved-aside notice is shown', { reason: 'no_notice' })
      if (shown.folder !== folder) throw new DomainError('conflict', 'The moved-aside notice shown names another folder', { reason: 'other_folder' })
      const next: MovedAside = { ...shown, dismissed: { at: deps.now().toISOString(), by } }
      transaction(() => {
        deps.settings.set(MOVED_ASIDE_SETTING, JSON.stringify(next), deps.now())
        record({ folder: shown.folder, at: shown.at })
      })
      // Kept only once written: a rollback leaves the notice shown, as the row still says.
      notice = next
      return this.health()
    },
  }
}
