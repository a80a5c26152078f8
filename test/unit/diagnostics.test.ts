import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { QueueStatus } from '../../common/records'
import type { UploadState } from '../../common/upload'
import { QueueStatus as QueueStatusSchema, RecordState } from '../../common/records'
import { UploadState as UploadStateSchema } from '../../common/upload'
import { DiagnosticsReport } from '../../common/operations'
import type { Logger } from '../../main/services/platform/logger'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { toQueueStatus } from '../../main/services/upload/status'
import {
  collectLogFiles,
  createDiagnostics,
  createRecentErrors,
  maskSecrets,
  readTar,
  redactText,
  rotateLogFile,
  tarArchive,
  teeLogger,
} from '../../main/services/diagnostics'
import { DEMO_POST_ID } from '../central/server'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { demoCentral, firstBatchFault, manualClock, openKiosk, tempDir } from './helpers'

/** The diagnostics.get output schema as contract.ts builds it. */
const Diagnostics = DiagnosticsReport.extend({ queue: QueueStatusSchema, upload: UploadStateSchema })

describe('redaction', () => {
  it.each([
    ['NIK', `nik ${SITI_NIK} failed`, 'nik [number] failed'],
    ['phone, local with dashes', `call ${MARKERS.phoneLocal}`, 'call [phone]'],
    ['phone, E.164', `to ${MARKERS.phoneE164}.`, 'to [phone].'],
    ['phone, 62 with spaces', 'wa 62 812 9876 5432 ok', 'wa [phone] ok'],
    ['e-mail', `mail ${MARKERS.email}`, 'mail [email]'],
  ])('replaces a %s', (_label, input, output) => {
    expect(redactText(input)).toBe(output)
  })

  it('leaves what diagnostics need readable: times, byte counts, ids, versions, post codes', () => {
    const line = '[2026-03-10 07:00:00.123] [warn] upload failed {"kind":"transient","failures":3,"bytes":1048576,"id":"0195f7a2-8c1e-7d3b-9a40-0123456789ab","postId":"JT-3578-01","version":"1.4.2","free":12884901888}'
    expect(redactText(line)).toBe(line)
  })

  it('masks secret-looking keys and URL credentials, recursively', () => {
    const masked = maskSecrets({
      postId: 'JT-3578-01',
      centralUrl: 'https://kiosk:hunter2@central.example.id/api?token=abc',
      token: 'secret-token-value',
      nested: { adminPin: '246813', privateKey: 'pem', apiKey: 'k', kioskKeyId: 'abcd', list: [{ password: 'p' }] },
      empty: { token: null },
      retentionDays: 7,
    }) as Record<string, unknown>
    expect(masked).toEqual({
      postId: 'JT-3578-01',
      centralUrl: 'https://kiosk:***@central.example.id/api?token=***',
      token: '[masked]',
      nested: { adminPin: '[masked]', privateKey: '[masked]', apiKey: '[masked]', kioskKeyId: 'abcd', list: [{ password: '[masked]' }] },
      empty: { token: null },
      retentionDays: 7,
    })
  })
})

describe('recent errors', () => {
  it('keeps the last warnings and errors with times, fields reduced to redacted primitives', () => {
    let t = Date.parse('2026-03-10T07:00:00Z')
    const recent = createRecentErrors({ now: () => new Date(t++), limit: 2 })
    recent.info('ignored')
    recent.warn('first', { n: 1 })
    recent.error('handler failed', { channel: 'registration.submit', error: `Error: duplicate ${SITI_NIK}`, detail: { email: MARKERS.email }, token: 'abc' })
    recent.error('third')
    const entries = recent.entries()
    expect(entries.map((e) => e.message)).toEqual(['handler failed', 'third'])
    expect(entries[0]).toEqual({
      at: '2026-03-10T07:00:00.001Z',
      level: 'error',
      message: 'handler failed',
      fields: { channel: 'registration.submit', error: 'Error: duplicate [number]', detail: '{"email":"[email]"}', token: '[masked]' },
    })
  })

  it('a tee logger writes to every logger', () => {
    const a = createMemoryLogger()
    const b = createMemoryLogger()
    teeLogger(a, b).warn('x', { n: 1 })
    expect(a.entries).toEqual([{ level: 'warn', message: 'x', fields: { n: 1 } }])
    expect(b.entries).toEqual(a.entries)
  })
})

describe('tar', () => {
  it('writes an archive system tar reads, with the same bytes back', () => {
    const dir = tempDir()
    const big = Buffer.alloc(70_000, 7)
    const archive = tarArchive([
      { name: 'README.txt', data: 'hello\n' },
      { name: 'logs/main.log', data: big },
      { name: 'empty.txt', data: '' },
    ])
    expect(archive.length % 512).toBe(0)
    writeFileSync(join(dir, 'a.tar'), archive)
    expect(execFileSync('tar', ['-tf', join(dir, 'a.tar')], { encoding: 'utf8' }).trim().split('\n')).toEqual(['README.txt', 'logs/main.log', 'empty.txt'])
    execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir])
    expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toBe('hello\n')
    expect(readFileSync(join(dir, 'logs', 'main.log')).equals(big)).toBe(true)
    expect(readTar(archive).map((e) => [e.name, e.data.length])).toEqual([
      ['README.txt', 6],
      ['logs/main.log', 70_000],
      ['empty.txt', 0],
    ])
  })

  it('refuses names that could escape the folder it is unpacked in', () => {
    for (const name of ['/etc/passwd', '../x', 'logs/../../x', 'a b', '']) {
      expect(() => tarArchive([{ name, data: 'x' }])).toThrow(/unsupported entry name/)
    }
  })
})

describe('log files', () => {
  it('rotation keeps main.1.log … main.<keep>.log, newest first, and drops the oldest', () => {
    const dir = tempDir()
    const file = join(dir, 'main.log')
    for (let i = 1; i <= 5; i++) {
      writeFileSync(file, `generation ${i}\n`)
      rotateLogFile(file, 3)
    }
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log'])
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toBe('generation 5\n')
    expect(readFileSync(join(dir, 'main.3.log'), 'utf8')).toBe('generation 3\n')
  })

  it('collects the tails of *.log files only, never through a symlink, redacted', async () => {
    const dir = tempDir()
    const secret = join(tempDir(), 'elsewhere.log')
    writeFileSync(secret, 'someone else\'s file\n')
    symlinkSync(secret, join(dir, 'linked.log'))
    writeFileSync(join(dir, 'notes.txt'), 'not a log\n')
    writeFileSync(join(dir, 'main.log'), `${'x'.repeat(100)}\nlast line with ${MARKERS.email}\n`)
    // The cut falls inside the x line: only whole lines are kept.
    const entries = await collectLogFiles(dir, { maxBytesPerFile: 60 })
    expect(entries.map((e) => e.name)).toEqual(['logs/main.log'])
    expect(String(entries[0]!.data)).toBe('last line with [email]\n')
    await expect(collectLogFiles(join(dir, 'missing'))).resolves.toEqual([])
  })
})

/** electron-log's file format, so the export reads the same kind of file it will on a post. */
function fileLogger(file: string): Logger {
  const write = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) =>
    appendFileSync(file, `[${new Date().toISOString()}] [${level}] ${message} ${fields ? JSON.stringify(fields) : ''}\n`)
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

async function uploadingCentral() {
  const { central: c, token } = await demoCentral()
  return { c, token }
}

describe('diagnostics', () => {
  const queue: QueueStatus = toQueueStatus([{ state: 'queued', n: 1 }], null)
  const upload: UploadState = { status: 'idle', pending: 1, lastSyncAt: null, lastError: null, nextAttemptAt: null, progress: null }

  function service(overrides: Partial<Parameters<typeof createDiagnostics>[0]> = {}) {
    return createDiagnostics({
      version: '1.4.2',
      postId: DEMO_POST_ID,
      config: () => ({ postId: DEMO_POST_ID, centralUrl: 'https://user:pw@central.example.id', token: 'x' }),
      queueStatus: () => queue,
      uploadState: () => upload,
      recentErrors: () => [],
      dataDir: tempDir(),
      now: () => new Date('2026-03-10T07:00:00.000Z'),
      logger: createMemoryLogger(),
      ...overrides,
    })
  }

  it('collects versions, masked config, queue, upload and update state, disk and last errors', async () => {
    const report = Diagnostics.parse(await service().collect())
    expect(report).toMatchObject({
      generatedAt: '2026-03-10T07:00:00.000Z',
      versions: { app: '1.4.2', electron: null, node: process.versions.node },
      config: { postId: DEMO_POST_ID, centralUrl: 'https://user:***@central.example.id/', token: '[masked]' },
      queue,
      upload,
      update: null,
      lastErrors: [],
    })
    expect(report.disk.freeBytes).toBeGreaterThan(0)
  })

  it('export refuses a relative or missing folder with a typed error', async () => {
    await expect(service().exportTo('relative/dir')).rejects.toMatchObject({ code: 'invalid_input', details: { reason: 'directory' } })
    await expect(service().exportTo('/no/such/folder')).rejects.toMatchObject({ code: 'invalid_input', details: { reason: 'directory' } })
  })

  it('export writes one .tar.gz (README, diagnostics.json, logs) readable by system tar, 0600, nothing else left behind', async () => {
    const logs = tempDir()
    writeFileSync(join(logs, 'main.log'), '[2026-03-10 07:00:00.000] [info] kiosk started {"postId":"JT-3578-01"}\n')
    const out = tempDir()
    const result = await service({ logsDir: logs }).exportTo(out)
    expect(result.file).toBe(join(out, 'posko-diagnostics-JT-3578-01-20260310-070000Z.tar.gz'))
    expect(result.entries).toEqual(['README.txt', 'diagnostics.json', 'logs/main.log'])
    expect(readdirSync(out)).toEqual(['posko-diagnostics-JT-3578-01-20260310-070000Z.tar.gz'])
    expect(statSync(result.file).size).toBe(result.bytes)
    expect(statSync(result.file).mode & 0o777).toBe(0o600)
    const listed = execFileSync('tar', ['-tzf', result.file], { encoding: 'utf8' }).trim().split('\n')
    expect(listed).toEqual(result.entries)
    const json = readTar(gunzipSync(readFileSync(result.file))).find((e) => e.name === 'diagnostics.json')!
    expect(Diagnostics.parse(JSON.parse(json.data.toString('utf8'))).versions.app).toBe('1.4.2')
  })

  it('an export of a kiosk that registered, searched, failed and uploaded holds no NIK, name, phone, e-mail or street', async () => {
    const { c, token } = await uploadingCentral()
    const logsDir = tempDir('posko-logs-')
    mkdirSync(logsDir, { recursive: true })
    const logFile = join(logsDir, 'main.log')
    const recent = createRecentErrors({ now: () => new Date() })
    const { kiosk, dataDir, logger: memory } = openKiosk({
      config: { centralUrl: c.url },
      centralToken: token,
      upload: {
        clock: manualClock(),
        // The first upload attempt meets a 500, so the log has a failure in it too.
        transport: firstBatchFault('500'),
      },
    })
    // Everything the kiosk logged goes to the log file and the recent-errors ring, as in main.
    const sink = teeLogger(fileLogger(logFile), recent)

    const ok = await kiosk.call('registration.submit', { draft: makeDraft() })
    expect(ok.ok).toBe(true)
    // A duplicate NIK, a draft with a broken NIK and the person's data, a search by name: all of it reaches logs paths.
    expect((await kiosk.call('registration.submit', { draft: makeDraft() })).ok).toBe(false)
    expect((await kiosk.call('registration.submit', { draft: makeDraft({ nik: `${SITI_NIK.slice(0, 15)}x` }) })).ok).toBe(false)
    await kiosk.call('registration.find', { query: MARKERS.name.split(' ')[1]! })
    await kiosk.call('registration.find', { query: SITI_NIK })
    await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(3) }) })
    await kiosk.uploader.runOnce()
    kiosk.uploader.uploadNow()
    await kiosk.uploader.runOnce()
    for (const entry of memory.entries) sink[entry.level](entry.message, entry.fields)
    expect(memory.entries.some((e) => e.level === 'warn' || e.level === 'error')).toBe(true)

    const diagnostics = createDiagnostics({
      version: '9.9.9',
      postId: DEMO_POST_ID,
      config: () => ({ postId: DEMO_POST_ID, centralUrl: c.url }),
      queueStatus: () => toQueueStatus(RecordState.options.map((state) => ({ state, n: kiosk.store.countInState(state) })), null),
      uploadState: () => kiosk.uploader.state(),
      recentErrors: () => recent.entries(),
      dataDir,
      logsDir,
      now: () => new Date(),
      logger: memory,
    })
    const out = tempDir('posko-usb-')
    const result = await diagnostics.exportTo(out)
    expect(result.entries).toContain('logs/main.log')
    expect(existsSync(result.file)).toBe(true)

    // Scan everything the archive holds (tar is not compressed inside, so the gunzipped bytes are all of it).
    const plain = gunzipSync(readFileSync(result.file)).toString('utf8')
    if (process.env.POSKO_SHOW_EXPORT) console.log(plain)
    expect(plain).toContain('upload failed')
    const report = Diagnostics.parse(JSON.parse(readTar(gunzipSync(readFileSync(result.file))).find((e) => e.name === 'diagnostics.json')!.data.toString('utf8')))
    expect(report.queue.counts.accepted).toBe(2)
    for (const marker of [
      SITI_NIK,
      nikFor(3),
      MARKERS.name,
      MARKERS.name.toLowerCase(),
      // Distinctive words only: "siti" alone is inside ordinary words ("position").
      ...MARKERS.name.split(' ').filter((word) => word.length > 4),
      MARKERS.phoneLocal,
      MARKERS.phoneLocal.replace(/-/g, ''),
      MARKERS.phoneE164,
      MARKERS.email,
      MARKERS.street,
    ]) {
      expect(plain.toLowerCase()).not.toContain(marker.toLowerCase())
    }
  })

  it('planted personal data in a log file is redacted on the way out (NIK, phone, e-mail)', async () => {
    const logs = tempDir()
    writeFileSync(join(logs, 'main.log'), `[x] [error] bad record nik=${SITI_NIK} phone=${MARKERS.phoneE164} mail=${MARKERS.email}\n`)
    const result = await service({ logsDir: logs }).exportTo(tempDir())
    const plain = gunzipSync(readFileSync(result.file)).toString('utf8')
    expect(plain).toContain('bad record nik=[number] phone=[phone] mail=[email]')
    for (const marker of [SITI_NIK, MARKERS.phoneE164, MARKERS.email]) expect(plain).not.toContain(marker)
  })
})
