import { createHash } from 'node:crypto'
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as esbuild from 'esbuild'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { integrityWorkerOptions } from '../../scripts/build.mjs'
import { damagePage } from '../fixtures/damage-page'
import { makeDraft, nikFor } from '../fixtures/drafts'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { openKiosk, tempDir, TEST_PIN } from './helpers'

/**
 * Issue 22.5: integrity at start on real files. Bytes of a database page are overwritten on disk; the check (run in
 * the built worker thread, as the app runs it) finds it, the next start moves the database aside intact, with its
 * WAL, and starts fresh; the kiosk says which in `store.health`.
 */
let workerScript = ''
beforeAll(async () => {
  workerScript = resolve('node_modules', '.cache', 'posko-test', `integrity-worker-${process.pid}.cjs`)
  await esbuild.build({ ...integrityWorkerOptions(workerScript, { quiet: true }), sourcemap: false })
})
afterAll(() => rmSync(workerScript, { force: true }))

async function healthOf(kiosk: TestKiosk): Promise<unknown> {
  const r = await kiosk.call('store.health')
  if (!r.ok) throw new Error(r.error.code)
  return r.value
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function kioskWithRecords(dataDir: string, n: number) {
  const { kiosk, close } = openKiosk({ dataDir, integrity: { workerScript } })
  for (let i = 0; i < n; i++) {
    const r = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) })
    expect(r.ok).toBe(true)
  }
  await kiosk.integrityChecked
  expect(await healthOf(kiosk)).toMatchObject({ state: 'ok' })
  close()
}

describe('integrity at start', () => {
  it('a damaged page is found by the background check, and the next start moves the database aside intact', async () => {
    const dataDir = tempDir()
    await kioskWithRecords(dataDir, 30)
    const file = join(dataDir, 'posko.db')
    // An index start-up never reads: the file opens and the kiosk runs; only the check can tell.
    damagePage(file, 'search_tokens_record')

    const second = openKiosk({ dataDir, integrity: { workerScript } })
    await second.kiosk.integrityChecked
    expect(await healthOf(second.kiosk)).toMatchObject({ state: 'damaged', folder: null })
    expect(existsSync(`${file}.damaged`)).toBe(true)
    expect(second.logger.entries.some((e) => e.level === 'error' && e.message.includes('quick_check found the database damaged'))).toBe(true)
    second.close()
    // The damaged kiosk ran on (it wrote settings, checkpointed at close): these are the bytes to keep.
    const damaged = sha(file)

    const third = openKiosk({ dataDir, integrity: { workerScript } })
    await third.kiosk.integrityChecked
    const health = (await healthOf(third.kiosk)) as { state: string; folder: string }
    expect(health.state).toBe('moved_aside')
    const aside = join(dataDir, health.folder)
    // Intact: the very bytes that were damaged, never deleted; the mark went with it.
    expect(sha(join(aside, 'posko.db'))).toBe(damaged)
    expect(readdirSync(aside).sort()).toEqual(['posko.db', 'posko.db.damaged'])
    const kept = new Database(join(aside, 'posko.db'), { readonly: true })
    expect(kept.pragma('quick_check', { simple: true })).not.toBe('ok')
    kept.close()
    expect(existsSync(`${file}.damaged`)).toBe(false)
    // A fresh store: no records, sound.
    expect(third.kiosk.store.count('registrations')).toBe(0)
    expect(third.kiosk.store.integrity()).toBe('ok')
    third.close()

    // The line stays on the fresh store's next starts.
    const fourth = openKiosk({ dataDir, integrity: { workerScript } })
    await fourth.kiosk.integrityChecked
    expect(await healthOf(fourth.kiosk)).toMatchObject({ state: 'moved_aside', folder: health.folder })
  })

  it('damage start-up trips over moves the database aside at once', async () => {
    const dataDir = tempDir()
    await kioskWithRecords(dataDir, 30)
    const file = join(dataDir, 'posko.db')
    damagePage(file, 'registrations')
    const damaged = sha(file)
    const next = openKiosk({ dataDir, integrity: { workerScript } })
    await next.kiosk.integrityChecked
    const health = (await healthOf(next.kiosk)) as { state: string; folder: string }
    expect(health.state).toBe('moved_aside')
    expect(sha(join(dataDir, health.folder, 'posko.db'))).toBe(damaged)
    expect(next.kiosk.store.count('registrations')).toBe(0)
  })

  it('a supervisor or IT hides the moved-aside line once read: audited, the folder untouched; an operator cannot, bad input changes nothing', async () => {
    const dataDir = tempDir()
    await kioskWithRecords(dataDir, 5)
    damagePage(join(dataDir, 'posko.db'), 'registrations')
    const opened = openKiosk({ dataDir, integrity: { workerScript } })
    const { kiosk } = opened
    await kiosk.integrityChecked
    const health = (await healthOf(kiosk)) as { state: string; folder: string; at: string }
    expect(health.state).toBe('moved_aside')
    const aside = join(dataDir, health.folder)
    const keptBytes = sha(join(aside, 'posko.db'))
    const dismiss = (input: unknown) => kiosk.call('store.dismissMovedAside', input as { folder: string })
    const notices = () => kiosk.audit.list().filter((r) => r.action === 'store_notice')

    // An operator sees the line and cannot hide it; nothing is written.
    await opened.signedIn
    await kiosk.sessions.createOperator({ operatorId: 'op-9', name: 'Test operator', role: 'operator', pin: TEST_PIN })
    await kiosk.sessions.signIn('op-9', TEST_PIN)
    const before = kiosk.store.fingerprint()
    expect(await dismiss({ folder: health.folder })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(kiosk.store.fingerprint()).toBe(before)

    // A supervisor: a folder other than the one shown, or no folder, is refused and changes nothing.
    await kiosk.sessions.signIn(opened.operatorId!, TEST_PIN)
    const signedIn = kiosk.store.fingerprint()
    expect(await dismiss({ folder: 'damaged-1999-01-01' })).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'other_folder' } } })
    expect(await dismiss({})).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await dismiss({ folder: health.folder, extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(kiosk.store.fingerprint()).toBe(signedIn)
    expect(await healthOf(kiosk)).toMatchObject({ state: 'moved_aside', folder: health.folder })

    // The one shown: hidden, the check's own verdict shows again, and the audit log says who and which folder.
    expect(await dismiss({ folder: health.folder })).toEqual({ ok: true, value: { state: 'ok', folder: null, at: null } })
    expect(await healthOf(kiosk)).toMatchObject({ state: 'ok' })
    expect(notices().map((r) => [r.actor, JSON.parse(r.details)])).toEqual([[opened.operatorId, { change: 'dismiss', folder: health.folder, moved_at: health.at }]])
    expect(kiosk.audit.verify()).toMatchObject({ ok: true })
    // Once hidden there is nothing to hide: refused, no second audit row.
    expect(await dismiss({ folder: health.folder })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(notices()).toHaveLength(1)
    // The folder is untouched.
    expect(sha(join(aside, 'posko.db'))).toBe(keptBytes)
    opened.close()

    // Hidden for good (the row says so, and still names the folder), for IT too.
    const again = openKiosk({ dataDir, integrity: { workerScript }, role: 'it' })
    await again.kiosk.integrityChecked
    expect(await healthOf(again.kiosk)).toMatchObject({ state: 'ok' })
    expect(JSON.parse(again.kiosk.store.connection().prepare("SELECT value FROM settings WHERE key = 'storeMovedAside'").pluck().get() as string)).toMatchObject({
      folder: health.folder,
      dismissed: { by: opened.operatorId },
    })
    expect(await again.kiosk.call('store.dismissMovedAside', { folder: health.folder })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('a database that cannot be opened is moved aside at once, with its WAL', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'posko.db')
    await kioskWithRecords(dataDir, 1)
    // The header overwritten, and a WAL left beside it (as a kiosk killed mid-run leaves one).
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.from('not a database at all, not even close'), 0, 37, 0)
    closeSync(fd)
    const walFd = openSync(`${file}-wal`, 'w')
    writeSync(walFd, Buffer.alloc(4096, 0x5a))
    closeSync(walFd)
    const before = { db: sha(file), wal: sha(`${file}-wal`) }

    const next = openKiosk({ dataDir, integrity: { workerScript } })
    await next.kiosk.integrityChecked
    const health = (await healthOf(next.kiosk)) as { state: string; folder: string }
    expect(health.state).toBe('moved_aside')
    const aside = join(dataDir, health.folder)
    expect(sha(join(aside, 'posko.db'))).toBe(before.db)
    expect(sha(join(aside, 'posko.db-wal'))).toBe(before.wal)
    expect(next.kiosk.store.count('registrations')).toBe(0)
    expect(next.logger.entries.some((e) => e.message.includes('could not be opened (damaged)'))).toBe(true)
  })
})
