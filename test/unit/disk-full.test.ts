import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Receipt } from '../../common/records'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { openKiosk } from './helpers'

/** A small filesystem of the test's own (tmpfs), so "disk full" is the kernel's ENOSPC, not a simulation. */
function smallFilesystem(size: string): { dir: string; grow(size: string): void; remove(): void } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'posko-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    return { skip: `cannot mount a small tmpfs here (needs root): ${(error as Error).message.split('\n')[0]}` }
  }
  return {
    dir,
    grow: (next) => void execFileSync('mount', ['-o', `remount,size=${next}`, dir]),
    remove: () => {
      execFileSync('umount', ['-l', dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

const fs = smallFilesystem('2m')
if ('dir' in fs) fs.remove()

describe('a full disk', () => {
  it.skipIf('skip' in fs)('a submit that does not fit says so in the user’s words; what was acknowledged stays, the file stays sound, and it works again once there is room', async () => {
    const small = smallFilesystem('2m')
    if (!('dir' in small)) throw new Error(small.skip)
    const { kiosk, close } = openKiosk({ dataDir: small.dir })
    cleanups.push(small.remove, close)
    const acked: Receipt[] = []
    let refusal: unknown = null
    for (let i = 0; i < 5000 && refusal === null; i++) {
      const result = await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(i) }) })
      if (result.ok) acked.push(result.value as Receipt)
      else refusal = result.error
    }
    expect(acked.length).toBeGreaterThan(10)
    expect(refusal).toMatchObject({ code: 'unavailable', details: { reason: 'disk_full' } })
    // Nothing half-written: every acknowledged record is there, and only those.
    expect(kiosk.store.records().map((r) => r.id).sort()).toEqual(acked.map((r) => r.id).sort())
    expect(kiosk.store.integrity()).toBe('ok')

    small.grow('8m')
    expect(await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(9000) }) })).toMatchObject({ ok: true })
    expect(kiosk.store.count('registrations')).toBe(acked.length + 1)
  })
})
