import { randomBytes } from 'node:crypto'
import type { RegistrationRecord } from '../../../common/registration'
import { nameTerms, nameWords } from '../../../common/search'
import type { Logger } from '../platform/logger'
import { SEARCH_TOKEN_BYTES, type Vault } from '../security/vault'
import type { SearchIndexRepository } from '../store/search-index'

/**
 * The keyed blind index behind "find by name or phone" (issue 19 point 8; docs/design-notes.md "Search without
 * plaintext"). A record is indexed under vault.searchToken of each normalised name term (words and joined
 * neighbours, common/search.ts) and of its E.164 phone; nothing else about it is in the index.
 */

/** Rows per record are padded up to a multiple of this with random tokens: the count does not give a name's length. */
const PAD_TO = 4

/** The tokens a record is stored under, padded; random padding never equals a real token (2^-128). */
export function recordTokens(vault: Vault, record: Pick<RegistrationRecord, 'fullName' | 'phone'>): Buffer[] {
  const tokens = nameTerms(record.fullName).map((term) => vault.searchToken('name', term))
  tokens.push(vault.searchToken('phone', record.phone))
  const padded = Math.ceil(tokens.length / PAD_TO) * PAD_TO
  while (tokens.length < padded) tokens.push(randomBytes(SEARCH_TOKEN_BYTES))
  return tokens
}

/** Whether an opened record really holds every query word (a token collision, however unlikely, is no hit). */
export function nameMatches(fullName: string, words: readonly string[]): boolean {
  const record = new Set(nameWords(fullName))
  const terms = new Set([...record, ...nameTerms(fullName)])
  return words.every((w) => terms.has(w))
}

export interface Backfill {
  /** Resolves when the backlog is empty (or the kiosk closed). */
  done: Promise<void>
  /** Records still to index. */
  remaining(): number
  stop(): void
}

/**
 * Indexes the records a kiosk held before migration 012, after start-up, `batchSize` a turn with the event loop
 * free between turns, so the kiosk answers while it works. Each batch is one transaction (decrypt, tokens, off the
 * backlog); a record that cannot be opened is logged and left on the backlog for the next start.
 */
export function startBackfill(deps: {
  repo: SearchIndexRepository
  vault: Vault
  transaction: <T>(fn: () => T) => T
  logger: Logger
  batchSize?: number
  /** A turn stops taking records after this long, so the kiosk never waits long for its event loop. */
  turnMs?: number
}): Backfill {
  const batchSize = deps.batchSize ?? 200
  const turnMs = deps.turnMs ?? 25
  let stopped = false
  // Counted once; each turn takes off what it indexed (a count(*) of the backlog every turn read the whole table).
  let remaining = deps.repo.backlogSize()
  const skipped = new Set<string>()
  const done = new Promise<void>((resolve) => {
    if (remaining === 0) return resolve()
    const started = Date.now()
    let indexed = 0
    const turn = () => {
      if (stopped) return resolve()
      let batch: Array<{ id: string; sealed: Buffer }> = []
      let taken = 0
      try {
        batch = deps.repo.backlog(batchSize + skipped.size).filter((row) => !skipped.has(row.id))
        const t0 = Date.now()
        deps.transaction(() => {
          for (const row of batch) {
            if (taken > 0 && Date.now() - t0 >= turnMs) break
            taken++
            let record: RegistrationRecord
            try {
              record = JSON.parse(deps.vault.open(row.sealed, row.id).toString('utf8')) as RegistrationRecord
            } catch {
              skipped.add(row.id)
              remaining--
              deps.logger.warn('search index: a record could not be opened; left for the next start', { id: row.id })
              continue
            }
            deps.repo.replace(row.id, recordTokens(deps.vault, record))
            indexed++
            remaining--
          }
        })
      } catch (error) {
        deps.logger.error('search index: backfill stopped', { error: error instanceof Error ? error.message : String(error) })
        return resolve()
      }
      if (batch.length === 0 || remaining <= 0) {
        remaining = Math.max(0, remaining)
        deps.logger.info('search index: backfill done', { indexed, ms: Date.now() - started })
        return resolve()
      }
      setImmediate(turn)
    }
    setImmediate(turn)
  })
  return {
    done,
    remaining: () => remaining,
    stop: () => {
      stopped = true
    },
  }
}
