import { z } from 'zod'
import type { SettingsRepository } from '../store/settings'
import { readJsonSetting } from '../store/settings'
import type { LogDialect } from './log-wire'

/**
 * The events of other desks' logs this desk was sent as placeholders (log-wire.ts: kinds or fields it does not read),
 * kept per desk in one settings row — a handful of numbers per desk, not a row per event, and no migration: the post
 * log's table keeps only events. For each desk:
 * - `through`: the last sequence placeholders covered. The pull continues after the later of it and the last event
 *   stored, so a log ending in skipped events is not asked again at every round.
 * - `from` and `reads`: the first skipped sequence not filled in yet, and what this desk read when it was skipped.
 *   After an update that changed what this desk reads, the pull asks again from `from` (`refill`: a cursor, so a long
 *   stretch is filled over several visits) and stores what it now reads; events already held are stored once
 *   (by kiosk and sequence), events still not read stay skipped. A skipped event is thus not lost: it is read by the
 *   first version that reads it, whatever it is (a desk status is harmless to miss, a mark or a relay outcome is not).
 */
const SETTING = 'post-log-skipped'
const Seq = z.number().int().nonnegative()
const Entry = z.strictObject({
  through: Seq,
  from: Seq.nullable(),
  reads: z.string().max(2000),
  refill: z.strictObject({ at: Seq, from: Seq.nullable() }).nullable(),
})
type Entry = z.infer<typeof Entry>
const State = z.record(z.string().max(64), Entry)

export interface SkippedEvents {
  /** The last sequence of a desk's log placeholders covered (0: none). */
  through(kioskId: string): number
  /** A pulled page held placeholders for these sequences. */
  skipped(kioskId: string, seqs: readonly number[]): void
  /** Where to ask again from (the refill's cursor), or null: nothing skipped under what this desk read before. */
  refillAt(kioskId: string): number | null
  /** A refill page covered up to `through`, with these still skipped; `done`: it reached the pull's place. */
  refilled(kioskId: string, through: number, still: readonly number[], done: boolean): void
  /** The first sequence still skipped (null: none): diagnostics and tests. */
  firstSkipped(kioskId: string): number | null
  /**
   * A desk's log re-filed under another id (`renameLog`: a paired desk's fingerprint id became central's). Call it in
   * the transaction that moves the events. `newIdHeldEvents`: the new id already held events, so the old copy was
   * dropped and the pull under the new id, which began at the log's start, covers every event itself: the old record
   * goes. Otherwise the old record follows the events, merged with one the new id may hold (placeholders only).
   */
  renamed(from: string, to: string, newIdHeldEvents: boolean): void
  /** Reads the row again: a transaction that wrote it (renamed) rolled back. */
  reload(): void
}

/** What a dialect reads, as one string: a change (an update) is what starts a refill. */
const signature = (dialect: LogDialect) => JSON.stringify([[...dialect.kinds].sort(), [...dialect.fields].sort()])

export function createSkippedEvents(deps: { settings?: SettingsRepository; dialect: LogDialect; now: () => Date }): SkippedEvents {
  const reads = signature(deps.dialect)
  const read = (): Record<string, Entry> => (deps.settings && readJsonSetting(deps.settings, SETTING, State)) || {}
  // Read once and kept here: pulls from several desks run at once, each changing its own entry between its awaits.
  let state: Record<string, Entry> = read()
  const save = () => deps.settings?.set(SETTING, JSON.stringify(state), deps.now())

  return {
    through: (kioskId) => (Object.hasOwn(state, kioskId) ? state[kioskId]!.through : 0),
    skipped(kioskId, seqs) {
      if (seqs.length === 0) return
      const entry = (state[kioskId] ??= { through: 0, from: null, reads, refill: null })
      entry.through = Math.max(entry.through, ...seqs)
      // A refill under way (or due) covers these too: it reads up to the pull's place.
      if (entry.from === null) {
        entry.from = Math.min(...seqs)
        entry.reads = reads
      }
      save()
    },
    refillAt(kioskId) {
      const entry = Object.hasOwn(state, kioskId) ? state[kioskId]! : null
      if (!entry || entry.from === null) return null
      if (entry.refill) return entry.refill.at
      if (entry.reads === reads) return null
      entry.refill = { at: entry.from - 1, from: null }
      save()
      return entry.refill.at
    },
    refilled(kioskId, through, still, done) {
      const entry = state[kioskId]
      if (!entry?.refill) return
      entry.refill.at = Math.max(entry.refill.at, through)
      if (still.length > 0) entry.refill.from ??= Math.min(...still)
      if (done) {
        entry.from = entry.refill.from
        entry.reads = reads
        entry.refill = null
      }
      save()
    },
    firstSkipped: (kioskId) => (Object.hasOwn(state, kioskId) ? state[kioskId]!.from : null),
    renamed(from, to, newIdHeldEvents) {
      if (from === to || !Object.hasOwn(state, from)) return
      const next = { ...state }
      const old = next[from]!
      delete next[from]
      if (!newIdHeldEvents) next[to] = mergeEntries(old, Object.hasOwn(next, to) ? next[to]! : undefined, reads)
      // Written before it is kept here: if the write throws, this desk's view stays what the row says.
      deps.settings?.set(SETTING, JSON.stringify(next), deps.now())
      state = next
    },
    reload() {
      state = read()
    },
  }
}

/**
 * One desk's two records (its log under two ids) as one. The pull goes on after the later `through`; what is still
 * skipped starts at the earlier `from`. If either was skipped under what this desk read before an update, the merged
 * record says so, so a refill asks again from the earlier first skip (re-asking a stretch already read stores nothing
 * twice: events are kept by kiosk and sequence). A refill under way is started over rather than combined: its cursor
 * and what it found still skipped describe one stretch, not the merged one, and starting over costs one more pass.
 */
function mergeEntries(old: Entry, held: Entry | undefined, reads: string): Entry {
  if (!held) return old
  const froms = [old.from, held.from].filter((x): x is number => x !== null)
  const before = [old, held].find((e) => e.from !== null && e.reads !== reads)
  return {
    through: Math.max(old.through, held.through),
    from: froms.length > 0 ? Math.min(...froms) : null,
    reads: before?.reads ?? reads,
    refill: null,
  }
}
