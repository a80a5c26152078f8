import type { Db } from './db'

/** The blind index's tables (migration 012): tokens per record, and the records still waiting to be indexed. */
export interface SearchIndexRepository {
  /** Replaces a record's tokens and takes it off the backlog. Call inside the transaction that wrote the record. */
  replace(recordId: string, tokens: readonly Buffer[]): void
  /**
   * Newest first (record ids are UUIDv7), records holding every one of `tokens`, at most `limit`; sealed records only.
   */
  find(tokens: readonly Buffer[], limit: number): string[]
  /** Up to `limit` records waiting to be indexed, with their sealed data. */
  backlog(limit: number): Array<{ id: string; sealed: Buffer }>
  backlogSize(): number
}

export function createSearchIndexRepository(db: Db): SearchIndexRepository {
  const drop = db.prepare<[string]>('DELETE FROM search_tokens WHERE record_id = ?')
  const add = db.prepare<[Buffer, string]>('INSERT OR IGNORE INTO search_tokens (token, record_id) VALUES (?, ?)')
  const done = db.prepare<[string]>('DELETE FROM search_backlog WHERE record_id = ?')
  // One token: a backwards range scan of the primary key, stopping at `limit`, however common the word.
  const one = db.prepare<[Buffer, number], string>('SELECT record_id FROM search_tokens WHERE token = ? ORDER BY record_id DESC LIMIT ?').pluck()
  // How common a token is, counted no further than RARE_ENOUGH rows: enough to pick the rarest to drive a search.
  const RARE_ENOUGH = 2_000
  const commonness = db.prepare<[Buffer], number>(`SELECT count(*) FROM (SELECT 1 FROM search_tokens WHERE token = ? LIMIT ${RARE_ENOUGH})`).pluck()
  const many = new Map<number, ReturnType<typeof prepareMany>>()
  /**
   * Several words: walk the rarest word's records newest first and keep those that hold every other word too (each
   * a primary-key probe). A GROUP BY over all the words' rows read every row of a common word (SITI: 70,000 at
   * 200,000 records) for every search.
   */
  function prepareMany(n: number) {
    const others = Array.from({ length: n - 1 }, (_, i) => `EXISTS (SELECT 1 FROM search_tokens t${i} WHERE t${i}.token = ? AND t${i}.record_id = d.record_id)`)
    return db.prepare<unknown[], string>(`SELECT d.record_id FROM search_tokens d WHERE d.token = ? AND ${others.join(' AND ')} ORDER BY d.record_id DESC LIMIT ?`).pluck()
  }
  const pending = db.prepare<[number], { id: string; sealed: Buffer }>(
    `SELECT b.record_id AS id, r.sealed AS sealed FROM search_backlog b JOIN registrations r ON r.id = b.record_id
     WHERE r.sealed IS NOT NULL LIMIT ?`,
  )
  const size = db.prepare<[], number>('SELECT count(*) FROM search_backlog').pluck()

  return {
    replace(recordId, tokens) {
      drop.run(recordId)
      for (const token of tokens) add.run(token, recordId)
      done.run(recordId)
    },
    find(tokens, limit) {
      const unique = [...new Map(tokens.map((t) => [t.toString('hex'), t])).values()]
      if (unique.length === 0) return []
      if (unique.length === 1) return one.all(unique[0]!, limit)
      let statement = many.get(unique.length)
      if (!statement) many.set(unique.length, (statement = prepareMany(unique.length)))
      const ordered = unique.map((token) => ({ token, n: commonness.get(token) ?? 0 })).sort((a, b) => a.n - b.n)
      if (ordered[0]!.n === 0) return []
      return statement.all(...ordered.map((o) => o.token), limit)
    },
    backlog(limit) {
      return pending.all(limit)
    },
    backlogSize: () => size.get() ?? 0,
  }
}
