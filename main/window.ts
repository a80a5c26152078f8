import { BrowserWindow, session } from 'electron'
import type { Logger } from './services/platform/logger'
import { APP_ENTRY, allowNavigation, allowPermission, isAppUrl, isBlockedShortcut, kioskWindowOptions } from './window-policy'

export interface KioskWindowOptions {
  preload: string
  packaged: boolean
  /** Fullscreen kiosk on posts; a normal window when a developer runs it unpackaged. */
  kiosk: boolean
  logger: Logger
}

/** Refuses every permission but the camera for the app's own page, for the default session. */
export function hardenSession(logger: Logger): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : []
    const allowed = allowPermission(permission, details.requestingUrl ?? contents.getURL(), mediaTypes)
    if (!allowed) logger.warn('permission refused', { permission })
    callback(allowed)
  })
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowPermission(permission, requestingOrigin.endsWith('/') ? requestingOrigin : `${requestingOrigin}/`),
  )
  ses.setDevicePermissionHandler(() => false)
}

export function createKioskWindow(options: KioskWindowOptions): BrowserWindow {
  const win = new BrowserWindow(kioskWindowOptions(options))

  const contents = win.webContents
  contents.on('will-navigate', (event, url) => {
    if (!allowNavigation(url)) {
      event.preventDefault()
      options.logger.warn('navigation refused', { scheme: url.split(':')[0] })
    }
  })
  contents.on('will-redirect', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input, options.packaged)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    options.logger.warn('window.open refused', { app: isAppUrl(url) })
    return { action: 'deny' }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(APP_ENTRY)
  return win
}
