import type { PackPacing } from '../central/client'

/**
 * How many bytes of photo frames may be on their way to central at once, across every lane (issue 23). A cut throws
 * away whatever sits in the link's queue (a modem's buffer, or the bench's tbf): TCP alone keeps that queue as full
 * as the link lets it, so a post's link that drops every few MB loses the queue at every cut. Central's streamed
 * receipt says which frames it committed, so the kiosk can keep no more on the way than the link holds: the rate
 * central acknowledges (the best of the last few seconds) times the shortest time a frame took from the kiosk to
 * its acknowledgement plus the usual time between two of its lines (central's commits), times a gain. Until both are
 * measured (a central without a streamed receipt, the first frames of a run, after seconds of quiet) there is no
 * limit, and a frame always goes when nothing is on the way (a photo bigger than the window still goes).
 *
 * Links bench at 20 Mbit/s with a cut every 2 MB (half queue, design notes "Session 11"): without a window each cut
 * threw away ~300 KB (12.5 % of the bytes re-sent); a fixed window of 150 KB ~130 KB a cut (6 %), 100 KB starved
 * the link (0.81× without cuts instead of 0.93×). The measured window comes to ~235-260 KB there, with no loss
 * without cuts. On by default since session 12 (STALL_WAYS). Since session 13 it holds whenever it is measured: it
 * used to stand aside while frames took about their shortest way (no queue), and then a pack's next MBs went to the
 * link at once, which a cut threw away (links bench, 20 Mbit/s with cuts: 0.80× → 0.86× the link, re-sent
 * 11.8 → 8.0 %).
 */
export interface LinkWindowOptions {
  /** Milliseconds, monotonic. */
  now: () => number
  /** Headroom over the measured bytes on the way; default DEFAULT_GAIN. */
  gain?: number
  /** A fixed window in bytes instead of the measured one (for measuring the window itself). */
  fixedBytes?: number | null
  /** Runs `run` after `ms` (wall time), giving a way to cancel it; setTimeout, unreferenced, by default. */
  later?: (ms: number, run: () => void) => () => void
}

/** One request's frames on their way: told each frame as it goes, and each time central's receipt advances. */
export interface Flight extends PackPacing {
  /** Central has committed the flight's first `frames` frames (0 again if its receipt turned out not to be one). */
  stored(frames: number): void
  /** The request ended, answered or cut: nothing of it is on the way any more. */
  end(): void
}

export interface LinkWindow {
  flight(): Flight
  /** The window now, bytes; null while there is none. */
  limit(): number | null
}

/**
 * The window is the measured pipe: the median commit interval already gives headroom (a frame waits half of it on
 * average). Links bench at 20 Mbit/s with cuts: 1.0 re-sent 8.4 % with no loss without cuts, 1.25 9.0 %.
 */
const DEFAULT_GAIN = 1
/** A rate is measured over at least this long: central commits in lumps (25 ms apart at the reference central). */
const RATE_SPAN_MS = 250
/**
 * A rate spans at least this many receipt lines as well: on a slow link a line comes per frame or two (~120 ms apart
 * at 2 Mbit/s), and over 250 ms a lump of lines at either end of the span read up to twice the link; the best of such
 * rates made the window 100-300 KB at 2 Mbit/s, where the link's round trip holds ~40 KB. At 20 Mbit/s 250 ms
 * already holds ~10 lines.
 */
const SPAN_LINES = 6
/** The rate is the best of this long: a quiet moment (a cut, a batch posted) is not the link's rate. */
const RATE_KEEP_MS = 4_000
/** The shortest frame-to-acknowledgement time is the shortest of this long (the route can change). */
const DELAY_KEEP_MS = 10_000
/**
 * Above this rate (100 Mbit/s) there is no window: no post's uplink is that fast (4G is ~20 Mbit/s), its queue would
 * hold milliseconds, and what sets the pace is the two ends' CPU, which the window must not mistake for the link
 * (on loopback the window without this limit locked the upload bench at one frame at a time: 4.8 s → 114 s).
 */
const UNWINDOWED_BYTES_PER_SECOND = 12_500_000
/** Samples kept at most for a best (a fast link acknowledges thousands of frames in its 10 s). */
const SAMPLES_KEPT = 256
/** Gaps between receipt lines (and the latest frame times) kept for their median. */
const GAPS_KEPT = 16
/**
 * The window is at least this many times the shortest way at the measured rate. Under a window of exactly the rate
 * it measured, a sender can never measure a faster one (a link that got faster, or a rate measured while there was
 * little to send). Central's commit interval gives that headroom by itself where it is long beside the way (the
 * reference central's 25 ms on a 60 ms way: the window is 1.4 ways, a frame waits half an interval on average); this
 * floor keeps a quarter where central acknowledges at once.
 */
const HEADROOM = 1.25

/**
 * Frames that wait this many ways (at least STALL_MIN_MS) without central acknowledging anything go at once, and the
 * window stays open until central acknowledges again. Only acknowledgements open the window, and a central that reads
 * a body whole before it answers (an error after draining it, or a front end's) acknowledges nothing: the frames it
 * waits for would wait for it until the request's deadline. The chaos test's upload (refusals that drain the pack)
 * took ~40-90 s under load instead of ~8 s that way. A link that is only slow acknowledges within one way.
 */
const STALL_WAYS = 4
const STALL_MIN_MS = 100

interface Sample {
  at: number
  value: number
}

/**
 * The median of recent samples (0 if none); of the gaps between a flight's receipt lines, how long a frame that
 * arrived can wait for central's next commit. Not the shortest gap: lines bunch on the way back, and a window short of a commit
 * interval starves the link (each frame then waits alone for its commit, the measured rate falls, and the window
 * with it).
 */
function median(samples: Sample[], now: number): number {
  while (samples.length > GAPS_KEPT || (samples.length > 0 && samples[0]!.at < now - DELAY_KEEP_MS)) samples.shift()
  if (samples.length === 0) return 0
  const sorted = samples.map((s) => s.value).sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Drops samples older than `keepMs` and gives the best left by `better`, or null. */
function best(samples: Sample[], now: number, keepMs: number, better: (a: number, b: number) => boolean): number | null {
  while (samples.length > SAMPLES_KEPT || (samples.length > 0 && samples[0]!.at < now - keepMs)) samples.shift()
  let found: number | null = null
  for (const s of samples) if (found === null || better(s.value, found)) found = s.value
  return found
}

const unreferencedTimer = (ms: number, run: () => void) => {
  const timer = setTimeout(run, ms)
  timer.unref()
  return () => clearTimeout(timer)
}

export function createLinkWindow(options: LinkWindowOptions): LinkWindow {
  const { now } = options
  const gain = options.gain ?? DEFAULT_GAIN
  const later = options.later ?? unreferencedTimer
  let onTheWay = 0
  /** Acknowledgements so far (the stall check's mark), and whether frames waited out a stall since the last one. */
  let acknowledgements = 0
  let stalled = false
  let stallCheck: (() => void) | null = null
  /** Frames waiting for the window, first come first served. */
  const waiting: Array<{ go: () => void }> = []
  /** Every acknowledgement: when, and the bytes acknowledged so far in all. */
  const acks: Sample[] = []
  let ackedBytes = 0
  const rates: Sample[] = []
  const delays: Sample[] = []
  const gaps: Sample[] = []

  /**
   * The shortest frame-to-acknowledgement time plus the usual gap between receipt lines (ms), at least HEADROOM times
   * the former; null unmeasured.
   */
  const way = (t: number): number | null => {
    const delay = best(delays, t, DELAY_KEEP_MS, (a, b) => a < b)
    return delay === null ? null : Math.max(delay + median(gaps, t), HEADROOM * delay)
  }

  const limit = (): number | null => {
    if (stalled) return null
    if (options.fixedBytes) return options.fixedBytes
    const t = now()
    const rate = best(rates, t, RATE_KEEP_MS, (a, b) => a > b)
    const through = rate === null ? null : way(t)
    if (rate === null || through === null || rate > UNWINDOWED_BYTES_PER_SECOND) return null
    return gain * rate * (through / 1000)
  }

  const wake = () => {
    const window = limit()
    while (waiting.length > 0 && (window === null || onTheWay === 0 || onTheWay < window)) waiting.shift()!.go()
    if (waiting.length === 0 && stallCheck) {
      stallCheck()
      stallCheck = null
    }
  }

  /** While frames wait: if nothing is acknowledged for STALL_WAYS ways, the window opens (see STALL_WAYS). */
  const watchForStall = () => {
    if (stallCheck) return
    const mark = acknowledgements
    stallCheck = later(Math.max(STALL_MIN_MS, STALL_WAYS * (way(now()) ?? 0)), () => {
      stallCheck = null
      if (waiting.length === 0) return
      if (acknowledgements === mark) stalled = true
      wake()
      if (waiting.length > 0) watchForStall()
    })
  }

  const acknowledged = (bytes: number) => {
    const t = now()
    acknowledgements++
    stalled = false
    ackedBytes += bytes
    acks.push({ at: t, value: ackedBytes })
    // The rate since the newest acknowledgement at least RATE_SPAN_MS old with at least SPAN_LINES after it.
    while (acks.length - 2 >= SPAN_LINES && acks[1]!.at <= t - RATE_SPAN_MS) acks.shift()
    const from = acks[0]!
    if (from.at <= t - RATE_SPAN_MS && acks.length - 1 >= SPAN_LINES) rates.push({ at: t, value: ((ackedBytes - from.value) * 1000) / (t - from.at) })
  }

  return {
    limit,
    flight(): Flight {
      /** Each frame sent: its end in bytes and when it went. */
      const frames: Array<{ end: number; at: number }> = []
      let sent = 0
      let stored = 0
      let lastLineAt: number | null = null
      let ended = false
      let queued: { go: () => void } | null = null
      const storedBytes = () => (stored === 0 ? 0 : frames[stored - 1]!.end)
      return {
        admit(bytes) {
          const go = () => {
            if (ended) return
            sent += bytes
            onTheWay += bytes
            frames.push({ end: sent, at: now() })
          }
          const window = limit()
          if (ended || window === null || onTheWay === 0 || onTheWay < window) {
            go()
            return null
          }
          return new Promise<void>((resolve) => {
            queued = { go: () => (queued = null, go(), resolve()) }
            waiting.push(queued)
            watchForStall()
          })
        },
        stored(count) {
          if (ended) return
          const t = now()
          if (count <= stored) {
            // A receipt believed in nothing: its frames are not acknowledged after all (the estimates keep what
            // they measured; the flight ends as a failure).
            return
          }
          const before = storedBytes()
          for (let i = stored; i < Math.min(count, frames.length); i++) {
            delays.push({ at: t, value: t - frames[i]!.at })
          }
          if (lastLineAt !== null) gaps.push({ at: t, value: t - lastLineAt })
          lastLineAt = t
          stored = Math.min(count, frames.length)
          const bytes = storedBytes() - before
          onTheWay -= bytes
          acknowledged(bytes)
          wake()
        },
        end() {
          if (ended) return
          ended = true
          onTheWay -= sent - storedBytes()
          // A request cut off while its next frame waited: that frame is let go uncounted (its request is gone, so
          // it goes nowhere) and holds no one else up.
          if (queued) {
            const frame = queued
            waiting.splice(waiting.indexOf(frame), 1)
            frame.go()
          }
          wake()
        },
      }
    },
  }
}
