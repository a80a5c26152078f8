/**
 * Exponential backoff with full jitter (a random delay in [0, min(cap, base·2^(n−1))]): posts that lost central
 * together do not come back together and knock it over again. The circuit breaker turns a run of failures into a
 * longer pause with a cheap health probe before real traffic resumes.
 */
export interface BackoffPolicy {
  baseMs: number
  capMs: number
  /** Consecutive failures that open the breaker. */
  breakerThreshold: number
  /** How long the breaker stays open before a health probe may close it. */
  breakerOpenMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000, breakerThreshold: 5, breakerOpenMs: 2 * 60_000 }

export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  if (failures <= 0) return 0
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - 1, 30))
  const jittered = Math.floor(random() * ceiling)
  return failures >= policy.breakerThreshold ? Math.max(jittered, policy.breakerOpenMs) : jittered
}

export function breakerOpen(failures: number, policy: BackoffPolicy): boolean {
  return failures >= policy.breakerThreshold
}
