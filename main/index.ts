import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { app, BrowserWindow, dialog, Menu, safeStorage } from 'electron'
import log from 'electron-log/main'
import { bindIpc, forwardEvents } from './ipc'
import { createReceiptPrinter } from './printing'
import { launchSettings } from './launch-env'
import { appPaths } from './paths'
import { registerAppScheme, serveRenderer } from './protocol'
import { ConfigError, loadConfig } from './services/platform/config-file'
import { decideCrashRestart, decideRendererGone, readCrashHistory, rotateLogFile, writeCrashHistory } from './services/diagnostics'
import type { Kiosk } from './services/kiosk'
import { createKiosk } from './services/kiosk'
import type { Logger } from './services/platform/logger'
import type { KeyProvider } from './services/security/keys'
import { createFileKeyProvider, createSealedKeyProvider, RAW_KEY_FILE, SEALED_KEY_FILES } from './services/security/keys'
import type { SealingOffer } from './services/security/key-protection'
import { chooseKeyProtection, VaultKeyError } from './services/security/key-protection'
import { tpm2Available, tpm2Sealer } from './services/security/systemd-creds'
import { startUpdater } from './updater'
import { createKioskWindow, hardenSession } from './window'
import { APP_ENTRY } from './window-policy'

// Wiring only: every decision lives in services/ or window-policy.ts where it is tested without Electron.

const logger: Logger = {
  debug: (m, f) => log.debug(m, f ?? ''),
  info: (m, f) => log.info(m, f ?? ''),
  warn: (m, f) => log.warn(m, f ?? ''),
  error: (m, f) => log.error(m, f ?? ''),
}

// Chromium's own locale (navigator.language, any native control, Intl's default) is Indonesian whatever the OS says:
// a kiosk on an en-US Windows image must not read 12 June as 06/12 (issue 19). Set before 'ready', as Chromium
// reads it at startup. The screens format dates themselves (renderer/src/dates.ts); this covers the rest.
app.commandLine.appendSwitch('lang', 'id-ID')

// Rotating files: 5 × 5 MB is weeks of a post's logs, enough to see what led up to a problem IT hears of late.
log.transports.file.maxSize = 5 * 1024 * 1024
log.transports.file.archiveLogFn = (file) => rotateLogFile(file.path, 5)

/** What this machine offers for sealing the vault key. `basic_text` is safeStorage with a fixed password: refused. */
function sealingOffer(): SealingOffer {
  const keyring = !safeStorage.isEncryptionAvailable()
    ? 'unavailable'
    : process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'
      ? 'basic_text'
      : 'available'
  return { keyring, tpm: process.platform === 'linux' && tpm2Available() }
}

function packagedKeyProvider(dataDir: string): KeyProvider {
  const present = {
    keyring: existsSync(join(dataDir, SEALED_KEY_FILES.keyring)),
    tpm: existsSync(join(dataDir, SEALED_KEY_FILES.tpm)),
    none: existsSync(join(dataDir, RAW_KEY_FILE)),
  }
  const offer = sealingOffer()
  const choice = chooseKeyProtection(present, offer)
  logger.info('vault key protection', { ...('use' in choice ? { use: choice.use } : { refuse: choice.refuse }), keyring: offer.keyring, tpm: offer.tpm })
  if ('refuse' in choice) throw new VaultKeyError(choice.refuse)
  if (choice.use === 'keyring') return createSealedKeyProvider(dataDir, { encrypt: (s) => safeStorage.encryptString(s), decrypt: (b) => safeStorage.decryptString(b) }, 'keyring')
  if (choice.use === 'tpm') return createSealedKeyProvider(dataDir, tpm2Sealer, 'tpm')
  return createFileKeyProvider(dataDir)
}

/**
 * A main-process crash restarts the kiosk (no one at a post can), unless it keeps crashing: then it stays down with
 * the error shown (services/diagnostics/recovery.ts). A native crash of the whole process can't be caught here; the
 * OS session's autostart brings the kiosk back then.
 */
process.on('uncaughtException', (error) => {
  logger.error('main process crashed', { error: String(error), stack: error.stack ?? '' })
  const file = join(app.getPath('userData'), 'crashes.json')
  const decision = decideCrashRestart(readCrashHistory(file), Date.now())
  try {
    writeCrashHistory(file, decision.history)
  } catch {
    // Restarting matters more than remembering the crash.
  }
  if (app.isPackaged && decision.restart) {
    app.relaunch()
  } else {
    dialog.showErrorBox('Posko berhenti karena galat / Posko stopped on an error', `${String(error)}\n\n${app.isPackaged ? 'Hubungi IT. / Contact IT.' : ''}`)
  }
  app.exit(1)
})
process.on('unhandledRejection', (reason) => {
  logger.error('unhandled rejection in main', { error: String(reason) })
})

registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let kiosk: Kiosk | undefined
  let win: BrowserWindow | undefined

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  app.whenReady().then(() => {
    // No log.initialize(): it adds electron-log's preload to every session, a channel from any page to main's log
    // files (forged lines, native error dialogs). Main logs to its files without it; the renderer logs nothing.
    // No application menu: its accelerators (close, quit, reload) and Help link are ways out of the kiosk.
    Menu.setApplicationMenu(null)
    const paths = appPaths(__dirname, process.resourcesPath, app.isPackaged)
    const launch = launchSettings(process.env, { packaged: app.isPackaged, userData: app.getPath('userData') })
    if (launch.ignored.length > 0) logger.warn('development variables ignored in a packaged kiosk', { names: launch.ignored.join(',') })
    const { dataDir } = launch
    try {
      const loaded = loadConfig(dataDir, join(paths.resources, 'default-config.json')).config
      // Unpackaged only: `npm start` points the kiosk at its local demo central. A packaged kiosk is enrolled.
      const demo = launch.demoCentral ?? { url: undefined, token: undefined }
      const config = { ...loaded, centralUrl: demo.url ?? loaded.centralUrl }
      kiosk = createKiosk({
        dataDir,
        config,
        version: app.getVersion(),
        logger,
        resourcesDir: paths.resources,
        nativeBinding: launch.nativeBinding,
        upload: { workerScript: paths.uploadWorker },
        // The post network listens on every interface (config.network.port) once central sent a roster, and on a kiosk that
        // never reached central so that its supervisor can pair it with the post's other desks (network/pairing.ts).
        network: { autoStart: true },
        ktp: { workerScript: paths.ktpWorker },
        integrity: { workerScript: paths.integrityWorker },
        printer: createReceiptPrinter(() => win),
        logsDir: dirname(log.transports.file.getFile().path),
        // Off when unpackaged; installs only when no registration is open (main/services/updates/policy.ts).
        updates: ({ activity, onState }) =>
          startUpdater({
            packaged: app.isPackaged,
            feedUrl: config.updateUrl,
            postId: config.postId,
            currentVersion: app.getVersion(),
            logger,
            activity,
            onState,
          }),
        centralToken: demo.token,
        // `npm start` only: a demo supervisor (demo / 246810) so a newcomer can sign in at once.
        demoOperator: app.isPackaged ? undefined : { id: 'demo', name: 'Petugas Demo', pin: '246810' },
        // Packaged: the OS keyring, else the TPM, else a plain file that registers only if IT allowed it; the key
        // already on disk always decides (services/security/key-protection.ts). Dev uses a 0600 file.
        keyProvider: app.isPackaged ? packagedKeyProvider(dataDir) : undefined,
        requireKeyProtection: app.isPackaged,
      })
    } catch (error) {
      logger.error('kiosk failed to start', { error: String(error), reason: error instanceof VaultKeyError ? error.reason : '' })
      const detail = error instanceof ConfigError ? error.problems.join('\n') : String(error)
      dialog.showErrorBox('Posko tidak dapat dimulai / Posko cannot start', detail)
      app.exit(1)
      return
    }
    hardenSession(logger)
    serveRenderer(paths.renderer)
    bindIpc(kiosk, logger)
    win = createKioskWindow({
      preload: paths.preload,
      packaged: app.isPackaged,
      kiosk: app.isPackaged,
      logger,
    })
    forwardEvents(kiosk, win)
    reloadWhenRendererGone(win)
  }).catch((error: unknown) => {
    logger.error('startup failed', { error: String(error) })
    app.exit(1)
  })

  /** The renderer died (crash, OOM, killed): back to the start screen rather than a blank kiosk. */
  const reloadWhenRendererGone = (window: BrowserWindow) => {
    let recent: number[] = []
    window.webContents.on('render-process-gone', (_event, details) => {
      logger.error('renderer gone', { reason: details.reason, exitCode: details.exitCode })
      const decision = decideRendererGone(details.reason, recent, Date.now())
      recent = decision.recent
      if (decision.action !== 'reload') return
      setTimeout(() => {
        if (!window.isDestroyed()) void window.loadURL(APP_ENTRY)
      }, decision.delayMs)
    })
    window.on('unresponsive', () => logger.warn('renderer unresponsive'))
  }

  app.on('window-all-closed', () => {
    kiosk?.close()
    app.quit()
  })
}
