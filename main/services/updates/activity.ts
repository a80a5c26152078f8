/**
 * What the install policy needs to know about the kiosk's own work that the services can't see for themselves:
 * whether a registration form holds a draft (only the renderer knows) and whether a file is being exported.
 */
export interface ActivitySnapshot {
  draftOpen: boolean
  exporting: boolean
}

export interface ActivityTracker {
  /** The renderer opened (true) or closed/submitted/wiped (false) a registration form. */
  setDraftOpen(open: boolean): void
  /** Runs `fn` as an export (offline bundle, diagnostics archive): no update installs until it settles. */
  during<T>(fn: () => Promise<T> | T): Promise<T>
  snapshot(): ActivitySnapshot
}

export interface ActivityOptions {
  now: () => number
  /**
   * A draft reported open this long ago no longer blocks updates. An assisted draft may sit behind the lock screen
   * after the operator went home; without a bound, one forgotten form would keep a post on an old version forever.
   */
  draftStaleAfterMs?: number
  /** Called after any change, so the updater can decide again at once (e.g. right after the form is submitted). */
  onChange?: () => void
}

export function createActivityTracker(options: ActivityOptions): ActivityTracker {
  const staleAfter = options.draftStaleAfterMs ?? 8 * 60 * 60 * 1000
  let draftSince: number | null = null
  let exports = 0
  const changed = () => options.onChange?.()
  return {
    setDraftOpen(open) {
      draftSince = open ? options.now() : null
      changed()
    },
    async during(fn) {
      exports++
      changed()
      try {
        return await fn()
      } finally {
        exports--
        changed()
      }
    },
    snapshot() {
      const draftOpen = draftSince !== null && options.now() - draftSince < staleAfter
      return { draftOpen, exporting: exports > 0 }
    },
  }
}
