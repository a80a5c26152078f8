/**
 * How big the next photo pack is: big enough that a round trip is a small part of it, small enough that it takes
 * seconds on the post's link, not minutes (issue 23.2). A cut then costs little even against a central without
 * photos:held, and a slow link makes its deadlines: transport.ts gives a request 30 s plus its body at 64 kbit/s,
 * so a pack of ~8 s at the measured rate fits even if the link gets four times slower mid-pack, and below 64 kbit/s
 * too (a fixed 4 MiB pack could not make its deadline there at all).
 *
 * The rate is measured per pack (its bytes over the time from sending to the answer, round trip and central's
 * storing included), so with two packs in flight each lane sees its share of the link: which is what sizes a pack
 * for a lane. The first pack is small (the link is unknown); the size at most doubles per answer (a sample can be
 * lucky) and drops to the measured size at once (but not on a small pack's word); a cut halves it.
 */
export interface PackSizing {
  /** The time a pack should take on the wire. */
  targetSeconds: number
  /** The first pack's bytes, before anything was measured. */
  initialBytes: number
  minBytes: number
  /** The pack limit (PackLimits.maxPackBytes). */
  maxBytes: number
}

export const DEFAULT_PACK_SIZING: Omit<PackSizing, 'maxBytes'> = { targetSeconds: 8, initialBytes: 256 * 1024, minBytes: 16 * 1024 }

export interface PackSizer {
  /** Bytes of frames for the next pack (a photo bigger than this still goes, alone). */
  packBytes(): number
  /** A pack of `bytes` was answered `ms` after it was sent. */
  answered(bytes: number, ms: number): void
  /** A pack was cut off (reset, timeout): the next ones are smaller. */
  cut(): void
  /** The last measured rate of one lane, bytes per second; null before the first answer. */
  bytesPerSecond(): number | null
}

export function createPackSizer(sizing: PackSizing): PackSizer {
  const clamp = (bytes: number) => Math.round(Math.min(sizing.maxBytes, Math.max(sizing.minBytes, bytes)))
  let size = clamp(sizing.initialBytes)
  let rate: number | null = null
  return {
    packBytes: () => size,
    answered(bytes, ms) {
      if (bytes <= 0) return
      rate = (bytes * 1000) / Math.max(1, ms)
      const next = clamp(Math.min(size * 2, rate * sizing.targetSeconds))
      // A pack much smaller than planned (a batch's last few photos) spends most of its time on the round trip:
      // its rate says the link is at least that fast, never that it is slower.
      size = bytes * 2 < size ? Math.max(size, next) : next
    },
    cut() {
      size = clamp(size / 2)
    },
    bytesPerSecond: () => rate,
  }
}
