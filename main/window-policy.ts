import { isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * The kiosk window's security decisions, as pure functions so they can be tested with hostile inputs without
 * Electron. window.ts, protocol.ts and ipc.ts only apply them.
 */

export const APP_SCHEME = 'app'
export const APP_HOST = 'posko'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** The CSP for every page the app serves. No inline script or style, no remote origins; camera frames are blobs. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ')

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** True only for `app://posko/...` with no credentials or port: the app's own pages. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url)
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  )
}

/** The kiosk never leaves its own page: links, redirects and `location =` to anything else are refused. */
export function allowNavigation(url: string): boolean {
  return isAppUrl(url)
}

/**
 * Only the camera (Electron's `media` permission, video only: the kiosk never records sound) and only for the
 * app's own origin; the microphone, notifications, geolocation, clipboard, HID, serial, USB and the rest are refused.
 */
export function allowPermission(permission: string, requestingUrl: string, mediaTypes: readonly string[] = []): boolean {
  if (permission !== 'media') return false
  if (!isAppUrl(requestingUrl)) return false
  return mediaTypes.every((t) => t === 'video')
}

/** IPC is accepted only from the main frame of the app's own page, never from a subframe or another origin. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && typeof frameUrl === 'string' && isAppUrl(frameUrl)
}

/**
 * Maps a request URL of the app's origin to a file under `root`, or null when it is another host or would escape it. Handles percent-encoded dots and
 * slashes, backslashes, NUL bytes and absolute paths; `/` serves index.html.
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  // Only the app's own origin: app://anything-else/ is not this renderer (the protocol handler serves any host).
  if (!isAppUrl(requestUrl)) return null
  const parsed = parse(requestUrl)
  if (parsed === null) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const segments = pathname.split('/').filter((s) => s !== '')
  if (segments.some((s) => s === '..' || s === '.' || s.includes(':'))) return null
  const relativePath = segments.length === 0 ? 'index.html' : segments.join('/')
  const base = resolve(root)
  const target = resolve(base, relativePath)
  const rel = relative(base, target)
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null
  return target
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
}

export function mimeTypeFor(file: string): string {
  const dot = file.lastIndexOf('.')
  return (dot >= 0 && MIME[file.slice(dot).toLowerCase()]) || 'application/octet-stream'
}

/**
 * The kiosk window's options (BrowserWindow's constructor): the renderer isolated and sandboxed with no Node, no
 * webviews, no devtools when packaged; full-screen kiosk mode on posts, a normal window for a developer.
 */
export function kioskWindowOptions(options: { preload: string; packaged: boolean; kiosk: boolean }) {
  return {
    width: 1366,
    height: 768,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !options.packaged,
    },
  } as const
}

/** A key as Electron's `before-input-event` reports it. */
export interface KeyInput {
  type: string
  key: string
  control: boolean
  meta: boolean
  alt: boolean
  shift: boolean
}

/**
 * Keys that would leave, reload or open up a packaged kiosk, swallowed before Chromium sees them: reload (drops
 * the draft on screen), close and quit, the developer tools, the print dialog (it can print to a file anywhere).
 * The application menu is gone too (main/index.ts), so no menu accelerator or Help link is left behind it.
 * A developer's unpackaged window keeps reload and the tools.
 */
export function isBlockedShortcut(input: KeyInput, packaged: boolean): boolean {
  if (input.type !== 'keyDown' || !packaged) return false
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key
  const command = input.control || input.meta
  if (key === 'F5' || key === 'F12' || key === 'BrowserRefresh') return true
  if (input.alt && key === 'F4') return true
  if (command && ['r', 'w', 'q', 'p', 'F4'].includes(key)) return true
  if (command && input.shift && ['i', 'j', 'c'].includes(key)) return true
  return false
}
