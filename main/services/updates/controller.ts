import type { InstallDecision, UpdateChannel, UpdatesDisabledReason, UpdateState } from '../../../common/operations'
import type { Logger } from '../platform/logger'
import type { Clock } from '../platform/clock'
import { channelFor } from './channel'
import type { NightWindow } from './policy'
import { decideInstall } from './policy'

/**
 * What the controller needs from electron-updater, as events it can replay in tests. main/updater.ts adapts
 * `autoUpdater` to this; everything that decides anything lives here, under plain Node.
 */
export type UpdateEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; code: string; message: string }

export interface UpdateDriver {
  /** Generic provider at `url`, reading `<channel>.yml` (`-linux` suffixed on Linux). */
  configure(feed: { url: string; channel: UpdateChannel }): void
  /** Checks the feed; electron-updater then downloads in the background (autoDownload) and verifies sha512. */
  check(): Promise<void>
  /** Quits, installs silently and starts the new version. */
  quitAndInstall(): void
  subscribe(listener: (event: UpdateEvent) => void): () => void
}

export interface UpdateControllerOptions {
  /** Null when updates are off; then `disabledReason` says why and nothing is ever checked. */
  driver: UpdateDriver | null
  disabledReason: UpdatesDisabledReason | null
  feedUrl: string | null
  postId: string
  currentVersion: string
  /** The pilot list from the feed; null when it couldn't be read (the previous channel is kept). */
  pilotPosts: () => Promise<readonly string[] | null>
  /** The kiosk's work right now, for the install policy. */
  activity: () => { draftOpen: boolean; uploading: boolean; exporting: boolean }
  nightWindow: NightWindow
  clock: Clock
  logger: Logger
  onState(state: UpdateState): void
  /** Default 4 h. */
  checkEveryMs?: number
  /** Default 2 min: start-up (or a crash-recovery restart) comes first. */
  firstCheckDelayMs?: number
  /** How often a downloaded update asks the policy again. Default 1 min. */
  evaluateEveryMs?: number
  /** Between "installing" being published and the quit, so the screen can say so. Default 3 s. */
  installDelayMs?: number
  /** The kiosk's wall clock offset for the night window; default the OS time zone. */
  utcOffsetMinutes?: number
}

export interface UpdateController {
  start(): void
  stop(): void
  state(): UpdateState
  /** Checks the feed now (IT's "check now"); never throws, failures land in `lastError`. */
  checkNow(): Promise<UpdateState>
  /** A supervisor's "install now": still refused while a registration is open or an export is running. */
  installNow(): UpdateState
  /** Something the policy reads changed (a form closed, an upload run ended): decide again now. */
  reevaluate(): void
}

const MESSAGE_MAX = 300

/** Error codes as electron-updater names them; anything else (a message, a path) is not a code. */
function safeCode(code: string): string {
  return /^[A-Za-z0-9_.-]{1,80}$/.test(code) ? code : 'ERR_UPDATER'
}

export function createUpdateController(options: UpdateControllerOptions): UpdateController {
  const { driver, clock, logger } = options
  const checkEveryMs = options.checkEveryMs ?? 4 * 60 * 60 * 1000
  const evaluateEveryMs = options.evaluateEveryMs ?? 60_000
  const installDelayMs = options.installDelayMs ?? 3_000
  const installTimeoutMs = 60_000
  const nowIso = () => new Date(clock.now()).toISOString()

  let state: UpdateState = {
    status: driver ? 'idle' : 'disabled',
    disabledReason: driver ? null : (options.disabledReason ?? 'no_feed'),
    currentVersion: options.currentVersion,
    availableVersion: null,
    channel: 'latest',
    progress: null,
    lastCheckAt: null,
    decision: null,
    lastError: null,
  }
  let downloaded = false
  let checking: Promise<void> | null = null
  let checkTimer: unknown = null
  let evaluateTimer: unknown = null
  let unsubscribe: (() => void) | null = null
  let started = false

  const set = (patch: Partial<UpdateState>) => {
    state = { ...state, ...patch }
    options.onState(state)
  }

  function recordError(code: string, message: string): void {
    const error = { code: safeCode(code), message: message.slice(0, MESSAGE_MAX), at: nowIso() }
    logger.warn('update failed', { code: error.code, message: error.message })
    // A failed re-check must not hide an update that is already downloaded and waiting.
    set({ lastError: error, status: downloaded ? 'downloaded' : 'error', progress: null })
  }

  function onEvent(event: UpdateEvent): void {
    switch (event.type) {
      case 'checking':
        if (!downloaded) set({ status: 'checking', lastCheckAt: nowIso() })
        else set({ lastCheckAt: nowIso() })
        return
      case 'available':
        logger.info('update available', { version: event.version, channel: state.channel })
        set({ status: 'downloading', availableVersion: event.version, progress: 0, lastError: null })
        return
      case 'not-available':
        // Also what a post outside a staged rollout's percentage hears (electron-updater's stagingPercentage).
        if (!downloaded) set({ status: 'idle', progress: null, lastError: null })
        return
      case 'progress':
        if (state.status === 'downloading') set({ progress: Math.max(0, Math.min(100, Math.round(event.percent))) })
        return
      case 'downloaded':
        downloaded = true
        logger.info('update downloaded', { version: event.version })
        set({ status: 'downloaded', availableVersion: event.version, progress: null, lastError: null })
        scheduleEvaluation()
        evaluate(false)
        return
      case 'error':
        recordError(event.code, event.message)
        return
      default: {
        const never: never = event
        throw new Error(`unhandled update event ${String(never)}`)
      }
    }
  }

  async function check(): Promise<void> {
    if (!driver || !options.feedUrl || downloaded || state.status === 'installing') return
    const pilots = await options.pilotPosts()
    const channel = pilots === null ? state.channel : channelFor(options.postId, pilots)
    if (channel !== state.channel) logger.info('update channel changed', { channel })
    set({ channel, lastCheckAt: nowIso() })
    try {
      driver.configure({ url: options.feedUrl, channel })
      await driver.check()
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown }
      recordError(typeof e.code === 'string' ? e.code : 'ERR_UPDATER', typeof e.message === 'string' ? e.message : String(error))
    }
  }

  function runCheck(): Promise<void> {
    checking ??= check().finally(() => {
      checking = null
    })
    return checking
  }

  function scheduleCheck(ms: number): void {
    if (!started) return
    if (checkTimer !== null) clock.clearTimeout(checkTimer)
    checkTimer = clock.setTimeout(() => {
      checkTimer = null
      void runCheck().finally(() => scheduleCheck(checkEveryMs))
    }, ms)
  }

  function scheduleEvaluation(): void {
    if (!started || evaluateTimer !== null) return
    evaluateTimer = clock.setTimeout(() => {
      evaluateTimer = null
      evaluate(false)
      if (state.status === 'downloaded') scheduleEvaluation()
    }, evaluateEveryMs)
  }

  function sameDecision(a: InstallDecision | null, b: InstallDecision): boolean {
    return a !== null && a.action === b.action && a.reason === b.reason
  }

  function evaluate(userRequested: boolean): InstallDecision {
    const work = options.activity()
    const decision = decideInstall({
      updateDownloaded: downloaded && state.status === 'downloaded',
      ...work,
      userRequested,
      now: new Date(clock.now()),
      nightWindow: options.nightWindow,
      utcOffsetMinutes: options.utcOffsetMinutes,
    })
    if (!downloaded) return decision
    if (!sameDecision(state.decision, decision)) {
      logger.info('update install decision', { action: decision.action, reason: decision.reason, version: state.availableVersion })
      set({ decision })
    }
    if (decision.action === 'install-now' && state.status === 'downloaded') install()
    return decision
  }

  function install(): void {
    set({ status: 'installing' })
    if (evaluateTimer !== null) clock.clearTimeout(evaluateTimer)
    evaluateTimer = null
    const giveUp = (code: string, message: string) => {
      // Still downloaded: the next evaluation tries again.
      recordError(code, message)
      scheduleEvaluation()
    }
    clock.setTimeout(() => {
      try {
        driver?.quitAndInstall()
      } catch (error) {
        return giveUp('ERR_UPDATER_INSTALL', (error as Error).message ?? String(error))
      }
      // A successful install ends this process; still being here a minute later means it didn't happen.
      clock.setTimeout(() => {
        if (state.status === 'installing') giveUp('ERR_UPDATER_INSTALL_TIMEOUT', 'the app did not quit to install the update')
      }, installTimeoutMs)
    }, installDelayMs)
  }

  return {
    start() {
      if (started || !driver) return
      started = true
      unsubscribe = driver.subscribe(onEvent)
      scheduleCheck(options.firstCheckDelayMs ?? 2 * 60_000)
    },
    stop() {
      started = false
      unsubscribe?.()
      unsubscribe = null
      if (checkTimer !== null) clock.clearTimeout(checkTimer)
      if (evaluateTimer !== null) clock.clearTimeout(evaluateTimer)
      checkTimer = evaluateTimer = null
    },
    state: () => state,
    async checkNow() {
      await runCheck()
      return state
    },
    installNow() {
      // Nothing to install (or already installing): answer without touching the stored decision.
      if (!downloaded) return { ...state, decision: { action: 'wait', reason: 'no_update' } }
      if (state.status !== 'downloaded') return state
      evaluate(true)
      return state
    },
    reevaluate() {
      if (downloaded && state.status === 'downloaded') evaluate(false)
    },
  }
}

/** What a kiosk without an updater (browser mode, tests, an unpackaged run) reports: disabled, with the reason. */
export function disabledUpdateController(currentVersion: string, reason: UpdatesDisabledReason, logger: Logger): UpdateController {
  return createUpdateController({
    driver: null,
    disabledReason: reason,
    feedUrl: null,
    postId: '',
    currentVersion,
    pilotPosts: async () => [],
    activity: () => ({ draftOpen: false, uploading: false, exporting: false }),
    nightWindow: { start: '01:00', end: '05:00' },
    clock: { now: () => Date.now(), setTimeout: () => null, clearTimeout: () => undefined },
    logger,
    onState: () => undefined,
  })
}
