import { z } from 'zod'

/**
 * Issue 22 ("nothing lost when a desk dies"): what the kiosk says about its own store and its records' backup.
 *
 * Store health (22.5), one line on the home screen:
 *  - `checking`: quick_check is running in the background (seconds at 200,000 records: BENCHMARKS.md, integrity);
 *  - `ok`: it found nothing;
 *  - `damaged`: it found damage in the open database; the kiosk keeps running, and its next start moves the
 *    file aside and starts fresh (a file in use cannot be swapped under the running connections);
 *  - `moved_aside`: this start found the database damaged and moved it, intact, into `folder` (beside the data);
 *    the kiosk runs on a fresh database (enrol again; the desk's peers hold its unaccepted records);
 *  - `unchecked`: the check could not run (its worker failed); nothing is known either way.
 */
export const StoreHealthState = z.enum(['checking', 'ok', 'damaged', 'moved_aside', 'unchecked'])
export type StoreHealthState = z.infer<typeof StoreHealthState>

export const StoreHealth = z.object({
  state: StoreHealthState,
  /** moved_aside: the folder's name (not a path: the data directory is IT's to know). */
  folder: z.string().max(200).nullable(),
  /** When the damage was found. */
  at: z.iso.datetime().nullable(),
})
export type StoreHealth = z.infer<typeof StoreHealth>

/**
 * Peer backup (22.1), for the home screen. A record is **safe** when at least one other desk of the post holds its
 * sealed bundle; `notSafe` counts this desk's records central has not answered that no other desk holds yet.
 * `backup` is null where there is no post network (not enrolled, no roster) and on a self-service kiosk.
 */
export const BackupStatusView = z.object({
  notSafe: z.number().int().nonnegative(),
  /** This desk's records central has not answered (queued, uploading, exported). */
  unsettled: z.number().int().nonnegative(),
  /** Other desks' bundles this desk holds (unreadable here), and their bytes. */
  heldForOthers: z.object({ bundles: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
})
export type BackupStatusView = z.infer<typeof BackupStatusView>
export const BackupStatusAnswer = z.object({ backup: BackupStatusView.nullable() })
export type BackupStatusAnswer = z.infer<typeof BackupStatusAnswer>

/** Restoring a desk (22.4): the old desk's roster id, and what came back of it (counts only; nothing decrypted here). */
export const RestoreDeskInput = z.strictObject({ kioskId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })
export const RestoreDeskResult = z.object({
  kioskId: z.string(),
  desks: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  duplicate: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
})
export type RestoreDeskResult = z.infer<typeof RestoreDeskResult>
