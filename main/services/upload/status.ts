import type { QueueStatus } from '../../../common/records'
import { RecordState } from '../../../common/records'

/** Turns per-state counts (only states that occur) into the full, zero-filled status the home screen shows. */
export function toQueueStatus(rows: ReadonlyArray<{ state: string; n: number }>, lastSyncAt: string | null, awaitingReview = 0): QueueStatus {
  const counts = Object.fromEntries(RecordState.options.map((s) => [s, 0])) as QueueStatus['counts']
  for (const row of rows) {
    const state = RecordState.safeParse(row.state)
    if (state.success) counts[state.data] = row.n
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  return { counts, total, lastSyncAt, awaitingReview }
}
