import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { KioskConfig } from '../../common/config'
import { openDatabase } from '../../main/services/store/db'
import { quickCheck } from '../../main/services/store/integrity'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import type { BenchSection } from './measure'
import { ms } from './measure'

const STORED = Number(process.env.POSKO_BENCH_STORED ?? 200_000)
const SEED = 2_000
const config = KioskConfig.parse({ postId: 'JT-3578-01', postName: 'Bench', centralUrl: 'http://127.0.0.1:9', requirePhotos: false })

/**
 * Issue 22.5: SQLite's quick_check on a store of 200,000 records. The store is seeded with 2,000 records through
 * registration.submit (sealed records, search tokens, post-log events, audit rows as the app writes them), then
 * every table a record touches is cloned in SQL under fresh ids up to 200,000 (4 ms per submit would make the
 * prefill take 15 minutes; quick_check's cost is pages and index entries, which the clones reproduce).
 */
export async function run(): Promise<BenchSection> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-bench-integrity-'))
  try {
    const operator = { id: 'bench', name: 'Bench', pin: '246813' }
    const kiosk = createTestKiosk({ dataDir, config, version: 'bench', logger: createMemoryLogger(10), resourcesDir: resolve('resources'), demoOperator: operator })
    await kiosk.ready
    await kiosk.sessions.signIn(operator.id, operator.pin)
    kiosk.setDurability('off')
    for (let i = 0; i < SEED; i++) {
      const r = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) })
      if (!r.ok) throw new Error(JSON.stringify(r.error))
    }
    kiosk.close()
    const file = join(dataDir, 'posko.db')
    const fill = performance.now()
    const db = openDatabase(file)
    db.pragma('synchronous = OFF')
    const copies = Math.ceil(STORED / SEED) - 1
    const clone = db.transaction((copy: number) => {
      const suffix = `-c${copy}`
      db.prepare(
        `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, post_nik_hmac)
         SELECT substr(id, 1, 24) || printf('%012d', @copy * 100000 + rowid), receipt_no || @suffix, state, randomblob(32), sealed, post_id, operator_id, self_service, photo_override, created_at, updated_at, randomblob(32)
         FROM registrations WHERE receipt_no NOT LIKE '%-c%'`,
      ).run({ copy, suffix })
      db.prepare(
        `INSERT INTO outbox (record_id, enqueued_at) SELECT substr(r.id, 1, 24) || printf('%012d', @copy * 100000 + r.rowid), o.enqueued_at
         FROM outbox o JOIN registrations r ON r.id = o.record_id WHERE r.receipt_no NOT LIKE '%-c%'`,
      ).run({ copy })
      db.prepare(
        `INSERT INTO search_tokens (token, record_id) SELECT randomblob(16), substr(r.id, 1, 24) || printf('%012d', @copy * 100000 + r.rowid)
         FROM search_tokens t JOIN registrations r ON r.id = t.record_id WHERE r.receipt_no NOT LIKE '%-c%'`,
      ).run({ copy })
    })
    for (let copy = 1; copy <= copies; copy++) clone(copy)
    const records = (db.prepare('SELECT count(*) AS n FROM registrations').get() as { n: number }).n
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const fillSeconds = (performance.now() - fill) / 1000
    const mb = statSync(file).size / 1024 / 1024

    // Cold-ish (first open after the fill; the page cache of the OS is warm, as it is after a restart) and warm runs.
    const times: number[] = []
    let verdict = ''
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now()
      const c = openDatabase(file)
      const opened = performance.now()
      verdict = quickCheck(c).ok ? 'ok' : 'damaged'
      times.push(performance.now() - opened)
      c.close()
      if (i === 0) times.push(opened - t0)
    }
    const [first, openMs, second, third] = times as [number, number, number, number]
    return {
      title: `Integrity at start (${records.toLocaleString('en')} records, PRAGMA quick_check)`,
      notes:
        `Seeded with ${SEED.toLocaleString('en')} records through registration.submit, cloned in SQL (records, outbox, search tokens; post-log events by the triggers) ` +
        `to ${records.toLocaleString('en')} in ${fillSeconds.toFixed(0)} s; database ${mb.toFixed(0)} MB. quick_check on its own connection, as the kiosk runs it (a worker thread). Verdict: ${verdict}.`,
      figures: [
        { name: 'open kiosk database (migrated), before the check', value: ms(openMs), goal: '≤ 200 ms', met: openMs <= 200 },
        { name: 'quick_check, first after the fill / again / again', value: `${ms(first)} / ${ms(second)} / ${ms(third)}`, goal: 'off the open path (worker thread)', met: true },
      ],
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
