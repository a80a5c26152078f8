/**
 * The first bytes of photos whose frame a cut fell in (issue 23): a kiosk that asks photos:held?partial=true learns
 * how many central has and sends only the rest (photo-pack.ts FRAME_REST). Kept per post (one post's partial never
 * completes another's photo), in memory, for a while and up to a budget: losing them only means a photo goes whole
 * (central then refuses the rest frame with 409 partial_unknown, and the kiosk sends it whole). A real central would
 * keep them where any of its instances can read them; the reference central is one process.
 */
export interface PartialPhotos {
  keep(postId: string, sha256: string, bytes: Buffer): void
  get(postId: string, sha256: string): Buffer | null
  drop(postId: string, sha256: string): void
}

export interface PartialLimits {
  maxEntries: number
  maxBytes: number
  ttlMs: number
}

export const DEFAULT_PARTIAL_LIMITS: PartialLimits = { maxEntries: 1_000, maxBytes: 64 * 1024 * 1024, ttlMs: 60 * 60 * 1000 }

export function createPartialPhotos(limits: PartialLimits = DEFAULT_PARTIAL_LIMITS, now: () => number = Date.now): PartialPhotos {
  /** Oldest first (a Map keeps insertion order): the first to go when over the budget. */
  const entries = new Map<string, { bytes: Buffer; at: number }>()
  let total = 0
  const key = (postId: string, sha256: string) => `${postId}/${sha256}`
  const remove = (k: string) => {
    const entry = entries.get(k)
    if (!entry) return
    total -= entry.bytes.length
    entries.delete(k)
  }
  return {
    keep(postId, sha256, bytes) {
      const k = key(postId, sha256)
      // A shorter cut of the same photo never replaces a longer one: both are prefixes of the same JPEG if true.
      const before = entries.get(k)
      if (before && before.bytes.length >= bytes.length) return
      remove(k)
      if (bytes.length === 0 || bytes.length > limits.maxBytes) return
      entries.set(k, { bytes: Buffer.from(bytes), at: now() })
      total += bytes.length
      for (const [oldest] of entries) {
        if (entries.size <= limits.maxEntries && total <= limits.maxBytes) break
        remove(oldest)
      }
    },
    get(postId, sha256) {
      const k = key(postId, sha256)
      const entry = entries.get(k)
      if (!entry) return null
      if (now() - entry.at > limits.ttlMs) {
        remove(k)
        return null
      }
      return entry.bytes
    },
    drop(postId, sha256) {
      remove(key(postId, sha256))
    },
  }
}
