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

/** The moved-aside line's folder, as `store.health` named it: dismissing says which notice was read. */
export const DismissMovedAsideInput = z.strictObject({ folder: z.string().min(1).max(200) })

/**
 * Peer backup (22.1), for the home screen. A record is **safe** when at least one other desk of the post holds its
 * sealed bundle, or the designated backup stick does (22.3); `notSafe` counts this desk's records central has not
 * answered that neither holds yet.
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
  /** Where the bundles came from: the other desks (absent in older answers), or a backup stick (`desks` is 0 then). */
  source: z.enum(['peers', 'stick']).optional(),
})
export type RestoreDeskResult = z.infer<typeof RestoreDeskResult>

/**
 * USB backup for a post with one desk (22.3): the stick a supervisor designated, as the home screen shows it.
 *  - `not_designated`: no stick chosen;
 *  - `missing`: the designated stick is not among the drives the kiosk sees (pulled out, or removed mid-write);
 *  - `writing`: a pass is writing what the stick does not hold yet; `ok`: it holds every record not yet answered;
 *  - `full`, `write_protected`: the stick refused a write (no space; read-only or its lock switch);
 *  - `failed`: another write error (`error` says which code, for IT).
 * Records whose sealed copy is on the stick while it is plugged in count as safe (`BackupStatusView.notSafe`).
 */
export const StickState = z.enum(['not_designated', 'missing', 'writing', 'ok', 'full', 'write_protected', 'failed'])
export type StickState = z.infer<typeof StickState>

export const StickStatus = z.object({
  state: StickState,
  /** The stick's name as the OS mounted it (what staff read on the label), when one is designated. */
  label: z.string().max(200).nullable(),
  designatedAt: z.iso.datetime().nullable(),
  /** This desk's records whose current version is on the stick (as of the last look). */
  onStick: z.number().int().nonnegative(),
  /** Records not answered by central that the stick does not hold yet. */
  toWrite: z.number().int().nonnegative(),
  lastWrittenAt: z.iso.datetime().nullable(),
  /** When the kiosk last looked at the stick. */
  checkedAt: z.iso.datetime().nullable(),
  freeBytes: z.number().int().nonnegative().nullable(),
  /** `failed`: the OS's error code (EIO…). */
  error: z.string().max(40).nullable(),
})
export type StickStatus = z.infer<typeof StickStatus>
export const StickAnswer = z.object({ stick: StickStatus.nullable() })

/** Designating a stick: a drive the kiosk lists (storage.drives), by its mount path. */
export const DesignateStickInput = z.strictObject({ directory: z.string().min(1).max(1024).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'validation.absolute_path') })

/** The desks whose backups a stick holds (22.4: a reinstalled desk restores its old self's from it). */
export const StickDesk = z.object({
  kioskId: z.string(),
  records: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  lastWrittenAt: z.iso.datetime().nullable(),
  /** This desk's own folder (nothing to restore from it). */
  thisDesk: z.boolean(),
})
export type StickDesk = z.infer<typeof StickDesk>
export const StickDesksAnswer = z.object({ desks: z.array(StickDesk) })
export const RestoreFromStickInput = DesignateStickInput.extend({ kioskId: RestoreDeskInput.shape.kioskId })
