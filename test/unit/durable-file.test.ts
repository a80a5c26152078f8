import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { KioskConfig } from '../../common/config'
import { createDiagnostics, writeCrashHistory } from '../../main/services/diagnostics'
import { writeEnrolledConfig } from '../../main/services/enrolment/config-file'
import { writeFileDurable, writeFileDurableStreamed } from '../../main/services/platform/durable-file'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createFileKeyProvider, createSealedKeyProvider } from '../../main/services/security/keys'
import { toQueueStatus } from '../../main/services/upload/status'
import { tempDir } from './helpers'

/** Every durable write, recorded (the real helper still does the work). */
const writes = vi.hoisted(() => [] as string[])
vi.mock('../../main/services/platform/durable-file', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/services/platform/durable-file')>()
  return {
    ...real,
    writeFileDurable: (file: string, ...rest: [string | Uint8Array, number?]) => {
      writes.push(file)
      return real.writeFileDurable(file, ...rest)
    },
    writeFileDurableStreamed: (file: string, ...rest: Parameters<typeof real.writeFileDurableStreamed> extends [string, ...infer R] ? R : never) => {
      writes.push(file)
      return real.writeFileDurableStreamed(file, ...rest)
    },
  }
})

beforeEach(() => {
  writes.length = 0
})

const tempFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'))

describe('the durable-write helper', () => {
  it('replaces a file whole, 0600 by default, leaving no temp file', () => {
    const dir = tempDir()
    const file = join(dir, 'state.json')
    writeFileDurable(file, 'old')
    writeFileDurable(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(tempFiles(dir)).toEqual([])
  })

  it('a streamed write that fails half-way leaves the old file as it was and no temp file', async () => {
    const dir = tempDir()
    const file = join(dir, 'bundle.pkb')
    writeFileDurable(file, 'the old bundle')
    await expect(
      writeFileDurableStreamed(file, async (out) => {
        await out.write(Buffer.from('half a new'))
        throw new Error('stick pulled')
      }),
    ).rejects.toThrow('stick pulled')
    expect(readFileSync(file, 'utf8')).toBe('the old bundle')
    expect(tempFiles(dir)).toEqual([])
    await writeFileDurableStreamed(file, async (out) => void (await out.write(Buffer.from('the new bundle'))))
    expect(readFileSync(file, 'utf8')).toBe('the new bundle')
  })
})

describe('every file Posko needs after a power cut goes through it', () => {
  it('the vault key and its sealed form', () => {
    const dir = tempDir()
    createFileKeyProvider(dir).loadOrCreate()
    createSealedKeyProvider(dir, { encrypt: (s) => Buffer.from(s).reverse(), decrypt: (b) => Buffer.from(b).reverse().toString() }).loadOrCreate()
    expect(writes).toEqual([join(dir, 'vault.key'), join(dir, 'vault.key.sealed')])
  })

  it('config.json written at enrolment (the enrolment state itself is a row of the SQLite store, synchronous=FULL)', () => {
    const dir = tempDir()
    writeEnrolledConfig(dir, { postId: 'JT-3578-01', postName: 'Kota Surabaya', centralUrl: 'https://central.example' }, undefined, createMemoryLogger())
    expect(writes).toEqual([join(dir, 'config.json')])
    expect(KioskConfig.parse(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).postId).toBe('JT-3578-01')
  })

  it('the diagnostics archive and the crash history', async () => {
    const dir = tempDir()
    const diagnostics = createDiagnostics({
      version: '9.9.9',
      postId: 'JT-3578-01',
      config: () => ({ postId: 'JT-3578-01' }),
      queueStatus: () => toQueueStatus([], null),
      uploadState: () => ({ status: 'idle', pending: 0, lastSyncAt: null, lastError: null, nextAttemptAt: null, progress: null }),
      recentErrors: () => [],
      dataDir: dir,
      now: () => new Date('2026-12-06T06:00:00Z'),
      logger: createMemoryLogger(),
    })
    const { file } = await diagnostics.exportTo(dir)
    writeCrashHistory(join(dir, 'crashes.json'), [1, 2, 3])
    expect(writes).toEqual([file, join(dir, 'crashes.json')])
    expect(existsSync(file)).toBe(true)
  })

  it('a key file that exists is read, never rewritten', () => {
    const dir = tempDir()
    const key = createFileKeyProvider(dir).loadOrCreate()
    writes.length = 0
    expect(createFileKeyProvider(dir).loadOrCreate().equals(key)).toBe(true)
    expect(writes).toEqual([])
  })
})
