import { describe, expect, it } from 'vitest'
import type { Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { nameTerms, nameWords, parseSearchQuery } from '../../common/search'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { openKiosk, tempDir } from './helpers'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { startBackfill } from '../../main/services/registration/search-index'
import { createVault } from '../../main/services/security/vault'
import { openDatabase } from '../../main/services/store/db'
import { createSearchIndexRepository } from '../../main/services/store/search-index'

/** Find by name or phone through the keyed blind index (issue 19 point 8, migration 012). */

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value as T
}

interface Found {
  results: Array<{ id: string; fullName: string }>
  by: string
  more: boolean
  indexing: boolean
}

type TestKiosk = ReturnType<typeof openKiosk>['kiosk']
const find = async (kiosk: TestKiosk, query: string) => value<Found>(await kiosk.call('registration.find', { query }))
const names = async (kiosk: TestKiosk, query: string) => (await find(kiosk, query)).results.map((r) => r.fullName).sort()
const submit = async (kiosk: TestKiosk, i: number, fullName: string, phone: string) =>
  value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i), fullName, phone, email: null }) }))
const tokenRows = (kiosk: TestKiosk, id: string) =>
  kiosk.store.connection().prepare<[string], Buffer>('SELECT token FROM search_tokens WHERE record_id = ?').pluck().all(id)

describe('search terms', () => {
  it('normalises case, diacritics, apostrophes and spacing, and splits on other punctuation', () => {
    expect(nameWords("  Ma'ruf   AMIN ")).toEqual(['maruf', 'amin'])
    expect(nameWords('ÉLODIE Ñuñez')).toEqual(['elodie', 'nunez'])
    expect(nameWords('ABD.RAHMAN NUR-AINI M.')).toEqual(['abd', 'rahman', 'nur', 'aini'])
    expect(nameTerms('SITI NUR HALIZA')).toEqual(['siti', 'nur', 'haliza', 'sitinur', 'nurhaliza'])
  })

  it('reads a query as a NIK, a receipt, a mobile number or name words', () => {
    expect(parseSearchQuery('3578 0141 0190 0003')).toEqual({ kind: 'nik', nik: '3578014101900003' })
    expect(parseSearchQuery('jt-3578-01-261125-0042')).toEqual({ kind: 'receipt', receiptNo: 'JT-3578-01-261125-0042' })
    expect(parseSearchQuery('0813-3012-4455')).toEqual({ kind: 'phone', e164: '+6281330124455' })
    expect(parseSearchQuery('+62 813 3012 4455')).toEqual({ kind: 'phone', e164: '+6281330124455' })
    expect(parseSearchQuery('Siti Nurhaliza')).toEqual({ kind: 'name', words: ['siti', 'nurhaliza'] })
    expect(parseSearchQuery('021-555-1234')).toEqual({ kind: 'none' })
    expect(parseSearchQuery('a .')).toEqual({ kind: 'none' })
  })
})

describe('registration.find by name and phone', () => {
  it('finds by any whole name word in any case or accent, by joined words, narrows by several words, and by phone in any form', async () => {
    const { kiosk } = openKiosk()
    const siti = await submit(kiosk, 1, 'Siti Nur Haliza', '0813-3012-4455')
    await submit(kiosk, 2, 'Siti Rahmawati', '0812-1111-2222')
    await submit(kiosk, 3, "Ma'ruf Amin", '0857-3333-4444')

    expect(await names(kiosk, 'siti')).toEqual(['SITI NUR HALIZA', 'SITI RAHMAWATI'])
    expect(await names(kiosk, 'SÍTI  haliza')).toEqual(['SITI NUR HALIZA'])
    expect(await names(kiosk, 'nurhaliza')).toEqual(['SITI NUR HALIZA'])
    expect(await names(kiosk, 'maruf')).toEqual(["MA'RUF AMIN"])
    expect(await names(kiosk, 'siti amin')).toEqual([])
    // Whole words only: no prefix search (docs/design-notes.md).
    expect(await names(kiosk, 'sit')).toEqual([])
    for (const phone of ['081330124455', '0813-3012-4455', '+62 813-3012-4455', '6281330124455']) {
      expect(await find(kiosk, phone), phone).toMatchObject({ by: 'phone', results: [{ id: siti.id }] })
    }
    expect(await find(kiosk, '0813-3012-4456')).toMatchObject({ by: 'phone', results: [] })
    expect(await find(kiosk, '12345')).toMatchObject({ by: 'none', results: [] })
  })

  it('audits the kind of search and the count, never the words or number typed', async () => {
    const { kiosk } = openKiosk()
    await submit(kiosk, 1, 'Siti Nur Haliza', '0813-3012-4455')
    await find(kiosk, 'haliza')
    await find(kiosk, '0813-3012-4455')
    const rows = kiosk.audit.list({ action: 'search' })
    expect(rows.map((r) => JSON.parse(r.details))).toEqual([
      { by: 'phone', found: 1 },
      { by: 'name', found: 1 },
    ])
    // Hashes and ids are random hex: a '4455' in one is chance, not the number typed (a CI run hit exactly that).
    const words = rows.map(({ hash: _hash, prev_hash: _prev, record_id: _id, ...rest }) => rest)
    expect(JSON.stringify(words).toLowerCase()).not.toMatch(/haliza|3012|4455/)
  })

  it('stores a multiple of four 16-byte tokens per record, none of them the name or phone', async () => {
    const { kiosk } = openKiosk()
    const one = await submit(kiosk, 1, 'Siti', '0813-3012-4455')
    const five = await submit(kiosk, 2, 'Siti Nur Haliza Binti Ahmad', '0813-3012-4456')
    expect(tokenRows(kiosk, one.id)).toHaveLength(4)
    // 5 words + 4 joined pairs + the phone = 10, padded to 12.
    expect(tokenRows(kiosk, five.id)).toHaveLength(12)
    for (const token of [...tokenRows(kiosk, one.id), ...tokenRows(kiosk, five.id)]) {
      expect(token).toHaveLength(16)
      expect(token.toString('latin1').toLowerCase()).not.toMatch(/siti|haliza|813/)
    }
  })

  it('lists the newest 50 and says there are more', async () => {
    const { kiosk } = openKiosk()
    for (let i = 0; i < 52; i++) await submit(kiosk, i, `Budi Nomor ${'X'.repeat((i % 5) + 2)}`, `0813${String(10_000_000 + i)}`)
    const found = await find(kiosk, 'budi')
    expect(found.results).toHaveLength(50)
    expect(found.more).toBe(true)
    expect(found.results.map((r) => r.id)).toEqual([...found.results.map((r) => r.id)].sort().reverse())
  })

  it('keeps the index in step with an edit: the old name and phone no longer find it, the new ones do', async () => {
    const { kiosk } = openKiosk()
    const receipt = await submit(kiosk, 1, 'Siti Nur Haliza', '0813-3012-4455')
    value(await kiosk.call('registration.update', { id: receipt.id, draft: makeDraft({ nik: nikFor(1), fullName: 'Siti Aminah', phone: '0813-9999-0000', email: null }) }))
    expect(await names(kiosk, 'haliza')).toEqual([])
    expect((await find(kiosk, '0813-3012-4455')).results).toEqual([])
    expect(await names(kiosk, 'aminah')).toEqual(['SITI AMINAH'])
    expect((await find(kiosk, '0813-9999-0000')).results).toMatchObject([{ id: receipt.id }])
    expect(tokenRows(kiosk, receipt.id)).toHaveLength(4)
  })

  it('a purge erases the record\'s tokens', async () => {
    let now = new Date('2026-11-01T03:00:00Z')
    const { kiosk } = openKiosk({ now: () => now, config: { retentionDays: 0 } })
    const receipt = await submit(kiosk, 1, 'Siti Nur Haliza', '0813-3012-4455')
    kiosk.store.markAccepted(receipt.id, 'C-1', '2026-11-01T03:00:00.000Z')
    expect(tokenRows(kiosk, receipt.id)).toHaveLength(8)
    now = new Date('2026-11-02T03:00:00Z')
    expect(value(await kiosk.call('retention.purge'))).toMatchObject({ records: 1 })
    expect(tokenRows(kiosk, receipt.id)).toEqual([])
    expect(await names(kiosk, 'haliza')).toEqual([])
  })
})

describe('backfill of records from before the index', () => {
  it('indexes a kiosk\'s existing records after start-up, a batch a turn, and then finds them by name and phone', async () => {
    const dataDir = tempDir()
    const first = openKiosk({ dataDir })
    const ids: string[] = []
    for (let i = 0; i < 30; i++) ids.push((await submit(first.kiosk, i, `Warga Nomor${'A'.repeat((i % 7) + 1)} Lama`, `0813${String(20_000_000 + i)}`)).id)
    // As migration 012 leaves a kiosk that held these records: no tokens, every sealed record on the backlog.
    const db = first.kiosk.store.connection()
    db.exec('DELETE FROM search_tokens; INSERT INTO search_backlog (record_id) SELECT id FROM registrations WHERE sealed IS NOT NULL')
    first.close()

    // A batch a turn, the event loop free between turns (here straight on the store, ten at a time).
    const vault = createVault(readFileSync(join(dataDir, 'vault.key')))
    const store = openDatabase(join(dataDir, 'posko.db'))
    const repo = createSearchIndexRepository(store)
    const backfill = startBackfill({ repo, vault, transaction: (fn) => store.transaction(fn)(), logger: createMemoryLogger(), batchSize: 10, turnMs: 60_000 })
    expect(backfill.remaining()).toBe(30)
    await new Promise((r) => setImmediate(r))
    expect(backfill.remaining()).toBe(20)
    backfill.stop()
    await backfill.done
    store.close()

    const { kiosk } = openKiosk({ dataDir })
    await kiosk.searchIndexed
    const found = await find(kiosk, 'warga lama')
    expect(found).toMatchObject({ indexing: false, more: false })
    expect(found.results.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect((await find(kiosk, '0813-2000-0007')).results).toMatchObject([{ id: ids[7] }])
    expect(kiosk.store.connection().prepare('SELECT count(*) FROM search_backlog').pluck().get()).toBe(0)
  })

  it('leaves a record it cannot open on the backlog and indexes the rest', async () => {
    const dataDir = tempDir()
    const first = openKiosk({ dataDir })
    const good = await submit(first.kiosk, 1, 'Siti Nur Haliza', '0813-3012-4455')
    const bad = await submit(first.kiosk, 2, 'Budi Santoso', '0813-3012-4456')
    first.kiosk.store.connection().exec('DELETE FROM search_tokens; INSERT INTO search_backlog (record_id) SELECT id FROM registrations')
    first.kiosk.store.corruptRecord(bad.id)
    first.close()

    const { kiosk } = openKiosk({ dataDir })
    await kiosk.searchIndexed
    expect((await find(kiosk, 'haliza')).results).toMatchObject([{ id: good.id }])
    expect(kiosk.store.connection().prepare('SELECT record_id FROM search_backlog').pluck().all()).toEqual([bad.id])
  })
})
