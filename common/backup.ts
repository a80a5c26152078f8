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
