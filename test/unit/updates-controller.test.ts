import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { UpdateChannel, UpdateState } from '../../common/operations'
import { UpdateState as UpdateStateSchema } from '../../common/operations'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { UpdateDriver, UpdateEvent } from '../../main/services/updates'
import { createActivityTracker, createUpdateController, DEFAULT_NIGHT_WINDOW, disabledUpdateController, fetchPilotPosts } from '../../main/services/updates'
import { manualClock } from './helpers'

/** electron-updater as the controller sees it: configure/check/quitAndInstall recorded, events pushed by the test. */
function fakeDriver(options: { failCheck?: Error & { code?: string } } = {}) {
  const listeners = new Set<(event: UpdateEvent) => void>()
  const calls: string[] = []
  const feeds: Array<{ url: string; channel: UpdateChannel }> = []
  const driver: UpdateDriver = {
    configure(feed) {
      feeds.push(feed)
    },
    async check() {
      calls.push('check')
      if (options.failCheck) throw options.failCheck
    },
    quitAndInstall() {
      calls.push('quitAndInstall')
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return { driver, calls, feeds, emit: (event: UpdateEvent) => listeners.forEach((l) => l(event)), listeners }
}

// 14:00 WIB: outside the night window.
const AFTERNOON = Date.parse('2026-03-10T07:00:00Z')

function setup(opts: { pilots?: readonly string[] | null; failCheck?: Error & { code?: string }; start?: number } = {}) {
  const fake = fakeDriver({ failCheck: opts.failCheck })
  const clock = manualClock(opts.start ?? AFTERNOON)
  const logger = createMemoryLogger()
  const work = { draftOpen: false, uploading: false, exporting: false }
  const states: UpdateState[] = []
  const controller = createUpdateController({
    driver: fake.driver,
    disabledReason: null,
    feedUrl: 'https://updates.example.id/posko/',
    postId: 'JT-3578-01',
    currentVersion: '1.0.0',
    pilotPosts: async () => (opts.pilots === undefined ? [] : opts.pilots),
    activity: () => work,
    nightWindow: DEFAULT_NIGHT_WINDOW,
    clock,
    logger,
    onState: (s) => states.push(s),
    utcOffsetMinutes: 420,
    firstCheckDelayMs: 1000,
    evaluateEveryMs: 60_000,
    installDelayMs: 3000,
  })
  return { ...fake, clock, logger, work, states, controller }
}

/** Lets the controller's awaited promises (pilot list, driver.check) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('update controller', () => {
  it('stays disabled, with the reason, and never touches a driver when updates are off', () => {
    const states: UpdateState[] = []
    const controller = createUpdateController({
      driver: null,
      disabledReason: 'unpackaged',
      feedUrl: null,
      postId: 'JT-3578-01',
      currentVersion: '1.0.0',
      pilotPosts: async () => [],
      activity: () => ({ draftOpen: false, uploading: false, exporting: false }),
      nightWindow: DEFAULT_NIGHT_WINDOW,
      clock: manualClock(),
      logger: createMemoryLogger(),
      onState: (s) => states.push(s),
    })
    controller.start()
    expect(controller.state()).toMatchObject({ status: 'disabled', disabledReason: 'unpackaged' })
    expect(controller.installNow().decision).toEqual({ action: 'wait', reason: 'no_update' })
    expect(UpdateStateSchema.parse(controller.state())).toBeTruthy()
  })

  it('a kiosk without an updater (browser mode, tests) reports disabled with its reason', () => {
    const controller = disabledUpdateController('2.0.0', 'test', createMemoryLogger())
    controller.start()
    expect(controller.state()).toMatchObject({ status: 'disabled', disabledReason: 'test', currentVersion: '2.0.0', availableVersion: null })
    expect(controller.installNow()).toMatchObject({ status: 'disabled', decision: { action: 'wait', reason: 'no_update' } })
    controller.reevaluate()
    controller.stop()
  })

  it('checks the generic feed after the start-up delay, then every 4 hours', async () => {
    const { controller, clock, calls, feeds } = setup()
    controller.start()
    expect(calls).toEqual([])
    clock.advance(1000)
    await settle()
    expect(calls).toEqual(['check'])
    expect(feeds).toEqual([{ url: 'https://updates.example.id/posko/', channel: 'latest' }])
    clock.advance(4 * 60 * 60 * 1000)
    await settle()
    expect(calls).toEqual(['check', 'check'])
    controller.stop()
  })

  it('a pilot post reads the pilot channel; an unreadable pilot list keeps the channel it had', async () => {
    const pilot = setup({ pilots: ['JT-3578-01'] })
    await pilot.controller.checkNow()
    expect(pilot.feeds.at(-1)?.channel).toBe('pilot')
    expect(pilot.controller.state().channel).toBe('pilot')

    const unknown = setup({ pilots: null })
    await unknown.controller.checkNow()
    expect(unknown.feeds.at(-1)?.channel).toBe('latest')
  })

  it('follows the download and installs at once on an idle kiosk, after telling the screen', async () => {
    const { controller, clock, calls, emit, states } = setup()
    controller.start()
    emit({ type: 'checking' })
    emit({ type: 'available', version: '1.1.0' })
    emit({ type: 'progress', percent: 42.4 })
    expect(controller.state()).toMatchObject({ status: 'downloading', availableVersion: '1.1.0', progress: 42 })
    emit({ type: 'downloaded', version: '1.1.0' })
    expect(controller.state()).toMatchObject({ status: 'installing', decision: { action: 'install-now', reason: 'idle' } })
    expect(calls).not.toContain('quitAndInstall')
    clock.advance(3000)
    expect(calls).toContain('quitAndInstall')
    expect(states.map((s) => s.status)).toEqual(['checking', 'downloading', 'downloading', 'downloaded', 'downloaded', 'installing'])
    for (const s of states) UpdateStateSchema.parse(s)
  })

  it('waits while a registration is open and installs within a minute of the form closing', async () => {
    const { controller, clock, calls, emit, work } = setup()
    controller.start()
    work.draftOpen = true
    emit({ type: 'downloaded', version: '1.1.0' })
    expect(controller.state()).toMatchObject({ status: 'downloaded', decision: { action: 'wait', reason: 'registration_open' } })
    clock.advance(10 * 60_000)
    expect(calls).not.toContain('quitAndInstall')
    work.draftOpen = false
    clock.advance(60_000)
    expect(controller.state().status).toBe('installing')
    clock.advance(3000)
    expect(calls).toContain('quitAndInstall')
  })

  it('decides again at once when told something changed', () => {
    const { controller, emit, work } = setup()
    controller.start()
    work.uploading = true
    emit({ type: 'downloaded', version: '1.1.0' })
    expect(controller.state().decision).toEqual({ action: 'wait', reason: 'upload_running' })
    work.uploading = false
    controller.reevaluate()
    expect(controller.state().status).toBe('installing')
  })

  it('a supervisor\'s "install now" is refused during a registration and accepted mid-upload', () => {
    const { controller, emit, work } = setup()
    controller.start()
    work.draftOpen = true
    emit({ type: 'downloaded', version: '1.1.0' })
    expect(controller.installNow()).toMatchObject({ status: 'downloaded', decision: { action: 'wait', reason: 'registration_open' } })
    work.draftOpen = false
    work.uploading = true
    expect(controller.installNow()).toMatchObject({ status: 'installing', decision: { action: 'install-now', reason: 'requested' } })
  })

  it('works with the activity tracker: an export blocks, its end decides again', async () => {
    const { controller, emit, work } = setup()
    const tracker = createActivityTracker({ now: () => AFTERNOON, onChange: () => controller.reevaluate() })
    Object.defineProperty(work, 'exporting', { get: () => tracker.snapshot().exporting })
    controller.start()
    let release!: () => void
    const exporting = tracker.during(() => new Promise<void>((resolve) => (release = resolve)))
    emit({ type: 'downloaded', version: '1.1.0' })
    expect(controller.state().decision).toEqual({ action: 'wait', reason: 'export_running' })
    release()
    await exporting
    expect(controller.state().status).toBe('installing')
  })

  it('logs errors and shows them, never throws; a failed re-check keeps a downloaded update', async () => {
    const failing = Object.assign(new Error('Cannot find channel "latest-linux.yml" update info: 404'), { code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' })
    const { controller, logger, emit, work } = setup({ failCheck: failing })
    await expect(controller.checkNow()).resolves.toMatchObject({
      status: 'error',
      lastError: { code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND', message: expect.stringContaining('latest-linux.yml') },
    })
    expect(logger.entries.some((e) => e.level === 'warn' && e.message === 'update failed')).toBe(true)

    controller.start()
    work.draftOpen = true
    emit({ type: 'downloaded', version: '1.1.0' })
    emit({ type: 'error', code: 'ERR_CHECKSUM_MISMATCH', message: 'sha512 checksum mismatch' })
    expect(controller.state()).toMatchObject({ status: 'downloaded', lastError: { code: 'ERR_CHECKSUM_MISMATCH' } })
  })

  it('an error code that is not a code is not passed on as one', () => {
    const { controller, emit } = setup()
    controller.start()
    emit({ type: 'error', code: 'Error: /home/kiosk/.cache/x failed', message: 'boom' })
    expect(controller.state().lastError?.code).toBe('ERR_UPDATER')
  })

  it('when the install does not end the app, it goes back to waiting and tries again', () => {
    const { controller, clock, calls, emit } = setup()
    controller.start()
    emit({ type: 'downloaded', version: '1.1.0' })
    clock.advance(3000)
    expect(calls.filter((c) => c === 'quitAndInstall')).toHaveLength(1)
    clock.advance(60_000)
    expect(controller.state()).toMatchObject({ status: 'downloaded', lastError: { code: 'ERR_UPDATER_INSTALL_TIMEOUT' } })
    clock.advance(60_000 + 3000)
    expect(calls.filter((c) => c === 'quitAndInstall')).toHaveLength(2)
  })

  it('does not check again while a downloaded update waits (it installs first)', async () => {
    const { controller, calls, emit, work } = setup()
    work.draftOpen = true
    controller.start()
    emit({ type: 'downloaded', version: '1.1.0' })
    await controller.checkNow()
    expect(calls).toEqual([])
  })

  it('stop() unsubscribes and cancels timers', async () => {
    const { controller, clock, calls, listeners } = setup()
    controller.start()
    expect(listeners.size).toBe(1)
    controller.stop()
    expect(listeners.size).toBe(0)
    clock.advance(10 * 60 * 60 * 1000)
    await settle()
    expect(calls).toEqual([])
  })
})

describe('activity tracker', () => {
  it('an open draft blocks until closed, or until it is 8 hours old (forgotten behind the lock screen)', () => {
    let now = 0
    const tracker = createActivityTracker({ now: () => now })
    expect(tracker.snapshot()).toEqual({ draftOpen: false, exporting: false })
    tracker.setDraftOpen(true)
    now = 8 * 60 * 60 * 1000 - 1
    expect(tracker.snapshot().draftOpen).toBe(true)
    now += 1
    expect(tracker.snapshot().draftOpen).toBe(false)
    tracker.setDraftOpen(true)
    tracker.setDraftOpen(false)
    expect(tracker.snapshot().draftOpen).toBe(false)
  })

  it('counts overlapping exports and clears even when one fails', async () => {
    const tracker = createActivityTracker({ now: () => 0 })
    let seen = false
    const failing = tracker.during(async () => {
      seen = tracker.snapshot().exporting
      throw new Error('drive pulled')
    })
    await expect(failing).rejects.toThrow('drive pulled')
    expect(seen).toBe(true)
    expect(tracker.snapshot().exporting).toBe(false)
  })
})

describe('pilot list from the feed', () => {
  const servers: Array<{ close(): void }> = []
  afterEach(() => servers.splice(0).forEach((s) => s.close()))

  async function serve(status: number, body: string): Promise<string> {
    const server = createServer((req, res) => {
      if (req.url !== '/posko/pilot-posts.json') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/posko`
  }

  it('reads <feed>/pilot-posts.json', async () => {
    const feed = await serve(200, JSON.stringify({ posts: ['JT-3578-01', 'JT-3501-01'] }))
    await expect(fetchPilotPosts({ feedUrl: feed })).resolves.toEqual(['JT-3578-01', 'JT-3501-01'])
    await expect(fetchPilotPosts({ feedUrl: `${feed}/` })).resolves.toEqual(['JT-3578-01', 'JT-3501-01'])
  })

  it('no file means no pilot: every post on latest', async () => {
    const feed = await serve(404, '')
    await expect(fetchPilotPosts({ feedUrl: feed })).resolves.toEqual([])
  })

  it('a broken file, a server error or no server at all is "don\'t know" (null), not "no pilot"', async () => {
    await expect(fetchPilotPosts({ feedUrl: await serve(200, '{"posts": "JT-3578-01"}') })).resolves.toBeNull()
    await expect(fetchPilotPosts({ feedUrl: await serve(200, 'not json') })).resolves.toBeNull()
    await expect(fetchPilotPosts({ feedUrl: await serve(500, '{}') })).resolves.toBeNull()
    await expect(fetchPilotPosts({ feedUrl: 'http://127.0.0.1:9/posko', timeoutMs: 2000 })).resolves.toBeNull()
  })
})
