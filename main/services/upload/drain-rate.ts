/**
 * How fast this post's queue drains, in records central accepted per second of a run (issue 23.4), and the two
 * things that follow from it: how long the rest of the queue will take (the home screen's estimate), and how many
 * records a batch should hold so its photos and records take ~BATCH_SECONDS on this link. On a slow link a batch of
 * 200 records with their photos is tens of minutes of upload before central holds any of them; batches sized to the
 * link put records at central every half minute or so, right behind their own photos.
 *
 * Measured between acceptances within a run (from the run's start for the first), so time spent waiting between
 * runs (backoff, an empty queue) is not counted as slowness; smoothed (half of each new sample), so one slow batch
 * does not swing the estimate.
 */
export interface DrainRate {
  /** A run starts: the next interval is measured from now. */
  runStarted(nowMs: number): void
  /** Central accepted (or answered for) `records` at `nowMs`. */
  answered(records: number, nowMs: number): void
  /** Records per second, or null before anything was measured. */
  perSecond(): number | null
  /** Seconds to send `pending` records at the current rate, or null when unknown. */
  secondsFor(pending: number): number | null
  /** Records for the next batch: ~BATCH_SECONDS of the link, within [1, max]; FIRST_BATCH_RECORDS before a measurement. */
  batchRecords(max: number): number
}

/** The time a batch should take at the measured rate: records reach central about this often on a slow link. */
export const BATCH_SECONDS = 30
/** The link is unknown: a first batch this small reaches central soon even at 64 kbit/s with photos (~2 min). */
export const FIRST_BATCH_RECORDS = 10

export function createDrainRate(): DrainRate {
  let rate: number | null = null
  let since: number | null = null
  return {
    runStarted(nowMs) {
      since = nowMs
    },
    answered(records, nowMs) {
      if (since === null || records <= 0) return
      const sample = records / (Math.max(1, nowMs - since) / 1000)
      rate = rate === null ? sample : (rate + sample) / 2
      since = nowMs
    },
    perSecond: () => rate,
    secondsFor(pending) {
      if (pending <= 0) return 0
      return rate === null ? null : Math.ceil(pending / rate)
    },
    batchRecords(max) {
      if (rate === null) return Math.min(max, FIRST_BATCH_RECORDS)
      return Math.max(1, Math.min(max, Math.floor(rate * BATCH_SECONDS)))
    },
  }
}
