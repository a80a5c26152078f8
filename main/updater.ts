import { net } from 'electron'
import { autoUpdater } from 'electron-updater'
import type { UpdateState } from '../common/operations'
import type { Logger } from './services/platform/logger'
import { systemClock } from './services/platform/clock'
import type { NightWindow, UpdateController, UpdateDriver, UpdateEvent } from './services/updates'
import {
  channelFile,
  createUpdateController,
  DEFAULT_NIGHT_WINDOW,
  fetchPilotPosts,
  fetchSignedFeed,
  matchesSignedFeed,
  UPDATE_SIGNING_PUBLIC_KEY,
  updatesDisabledReason,
} from './services/updates'

/**
 * electron-updater glue (DESIGN.md §9). Every decision (on or off, channel, when to install) is made in
 * services/updates/, tested under Node; this file only adapts `autoUpdater` to the controller's driver.
 */

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : 'ERR_UPDATER'
}

function createElectronDriver(logger: Logger): UpdateDriver {
  autoUpdater.logger = {
    info: (message?: unknown) => logger.info('updater', { message: String(message) }),
    warn: (message?: unknown) => logger.warn('updater', { message: String(message) }),
    error: (message?: unknown) => logger.error('updater', { message: String(message) }),
    debug: (message: string) => logger.debug('updater', { message }),
  }
  // The download starts by itself and is checked against the feed's sha512 (and, on Windows, the installer's
  // publisher when win.signtoolOptions.publisherName is set) before `update-downloaded` fires.
  // Nothing is downloaded before the channel file's signature is checked against the pinned key (below).
  autoUpdater.autoDownload = false
  // One place decides when to install: the policy. Installing on quit would bypass it.
  autoUpdater.autoInstallOnAppQuit = false
  autoUpdater.allowPrerelease = false
  autoUpdater.fullChangelog = false
  let feed: { url: string; channel: string } | null = null
  /** Downloads only what the signed channel file names; otherwise says why not (shown on diagnostics). */
  async function downloadIfSigned(info: { version: string; files: ReadonlyArray<{ sha512?: string }> }): Promise<string | null> {
    if (!feed) return 'no feed configured'
    const verdict = await fetchSignedFeed({
      fetch: (input, init) => net.fetch(input instanceof URL ? input.href : typeof input === 'string' ? input : input.url, init),
      feedUrl: feed.url,
      file: channelFile(feed.channel, process.platform, process.arch),
      publicKey: UPDATE_SIGNING_PUBLIC_KEY,
    })
    if (!verdict.ok) {
      logger.error('update refused: the feed is not signed by the pinned key', { reason: verdict.reason })
      return `feed ${verdict.reason}`
    }
    if (!matchesSignedFeed(info, verdict.feed)) {
      logger.error('update refused: what the updater found is not what the signed feed names', { version: info.version })
      return 'feed and signature disagree'
    }
    await autoUpdater.downloadUpdate()
    return null
  }
  return {
    configure({ url, channel }) {
      feed = { url, channel }
      // The channel goes in the feed options, not `autoUpdater.channel`: that setter also turns downgrades on.
      autoUpdater.setFeedURL({ provider: 'generic', url, channel })
      autoUpdater.allowDowngrade = false
    },
    async check() {
      await autoUpdater.checkForUpdates()
    },
    quitAndInstall() {
      autoUpdater.quitAndInstall(true, true)
    },
    subscribe(listener: (event: UpdateEvent) => void) {
      const handlers = {
        'checking-for-update': () => listener({ type: 'checking' }),
        'update-available': (info: { version: string; files: ReadonlyArray<{ sha512?: string }> }) => {
          listener({ type: 'available', version: info.version })
          void downloadIfSigned(info).then(
            (refusal) => {
              if (refusal) listener({ type: 'error', code: 'ERR_UPDATE_SIGNATURE', message: refusal })
            },
            // A failed download is also emitted as electron-updater's own 'error' event.
            () => undefined,
          )
        },
        'update-not-available': () => listener({ type: 'not-available' }),
        'download-progress': (info: { percent: number }) => listener({ type: 'progress', percent: info.percent }),
        'update-downloaded': (info: { version: string }) => listener({ type: 'downloaded', version: info.version }),
        error: (error: Error) => listener({ type: 'error', code: errorCode(error), message: error.message }),
      }
      autoUpdater.on('checking-for-update', handlers['checking-for-update'])
      autoUpdater.on('update-available', handlers['update-available'])
      autoUpdater.on('update-not-available', handlers['update-not-available'])
      autoUpdater.on('download-progress', handlers['download-progress'])
      autoUpdater.on('update-downloaded', handlers['update-downloaded'])
      autoUpdater.on('error', handlers.error)
      return () => {
        autoUpdater.off('checking-for-update', handlers['checking-for-update'])
        autoUpdater.off('update-available', handlers['update-available'])
        autoUpdater.off('update-not-available', handlers['update-not-available'])
        autoUpdater.off('download-progress', handlers['download-progress'])
        autoUpdater.off('update-downloaded', handlers['update-downloaded'])
        autoUpdater.off('error', handlers.error)
      }
    },
  }
}

export interface UpdaterOptions {
  packaged: boolean
  /** The kiosk config's `updateUrl`: IT's generic feed (docs/updates.md). */
  feedUrl: string | undefined
  postId: string
  currentVersion: string
  logger: Logger
  /** The kiosk's work right now (kiosk.activity + the uploader's status). */
  activity: () => { draftOpen: boolean; uploading: boolean; exporting: boolean }
  nightWindow?: NightWindow
  onState(state: UpdateState): void
}

/**
 * Starts the updater, or a controller that stays `disabled` (unpackaged, under test, no or insecure feed).
 * Never throws: an updater that can't start is logged and shown in diagnostics, and the kiosk runs on.
 */
export function startUpdater(options: UpdaterOptions): UpdateController {
  const disabled = updatesDisabledReason({ packaged: options.packaged, env: process.env, feedUrl: options.feedUrl })
  let driver: UpdateDriver | null = null
  if (disabled === null) {
    try {
      driver = createElectronDriver(options.logger)
    } catch (error) {
      options.logger.error('updater could not start', { error: String(error) })
    }
  } else {
    options.logger.info('updates off', { reason: disabled })
  }
  const feedUrl = options.feedUrl ?? null
  const controller = createUpdateController({
    driver,
    disabledReason: disabled ?? (driver ? null : 'no_feed'),
    feedUrl,
    postId: options.postId,
    currentVersion: options.currentVersion,
    // Electron's net.fetch follows the system proxy, as electron-updater's own requests do.
    pilotPosts: () => (feedUrl ? fetchPilotPosts({ feedUrl, fetch: (input, init) => net.fetch(String(input), init) }) : Promise.resolve([])),
    activity: options.activity,
    nightWindow: options.nightWindow ?? DEFAULT_NIGHT_WINDOW,
    clock: systemClock,
    logger: options.logger,
    onState: options.onState,
  })
  controller.start()
  return controller
}
