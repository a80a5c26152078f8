import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  allowNavigation,
  allowPermission,
  isBlockedShortcut,
  kioskWindowOptions,
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isTrustedSender,
  resolveAppPath,
} from '../../main/window-policy'

const hostileUrls = [
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://posko.example',
  'http://posko/index.html',
  'app://posko.evil.com/index.html',
  'app://evil/index.html',
  'app://posko@evil.com/',
  'app://user:pass@posko/',
  'app://posko:8080/',
  'APP://posko-/x',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'blob:app://posko/abc',
  '',
  'not a url',
]

describe('isAppUrl / allowNavigation', () => {
  it('accepts the app entry and its own pages', () => {
    expect(isAppUrl(APP_ENTRY)).toBe(true)
    expect(isAppUrl('app://posko/assets/index.js')).toBe(true)
    expect(allowNavigation('app://posko/index.html#/home')).toBe(true)
  })

  it.each(hostileUrls)('refuses %j', (url) => {
    expect(isAppUrl(url)).toBe(false)
    expect(allowNavigation(url)).toBe(false)
  })
})

describe('allowPermission', () => {
  it('grants the camera to the app page only', () => {
    expect(allowPermission('media', APP_ENTRY, ['video'])).toBe(true)
    expect(allowPermission('media', APP_ENTRY, [])).toBe(true)
  })

  it.each(['geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal', 'fullscreen', 'pointerLock'])(
    'refuses %s even to the app page',
    (permission) => {
      expect(allowPermission(permission, APP_ENTRY)).toBe(false)
    },
  )

  it.each(hostileUrls)('refuses the camera to %j', (url) => {
    expect(allowPermission('media', url, ['video'])).toBe(false)
  })

  it('refuses the microphone: the camera is video only', () => {
    expect(allowPermission('media', APP_ENTRY, ['audio'])).toBe(false)
    expect(allowPermission('media', APP_ENTRY, ['video', 'audio'])).toBe(false)
  })

  it('refuses screen capture disguised as media', () => {
    expect(allowPermission('media', APP_ENTRY, ['video', 'screen'])).toBe(false)
  })
})

describe('isTrustedSender', () => {
  it('trusts only the main frame of the app page', () => {
    expect(isTrustedSender(APP_ENTRY, true)).toBe(true)
    expect(isTrustedSender(APP_ENTRY, false)).toBe(false)
    expect(isTrustedSender(undefined, true)).toBe(false)
    for (const url of hostileUrls) expect(isTrustedSender(url, true)).toBe(false)
  })
})

describe('resolveAppPath', () => {
  it('serves only the app origin: another host, a port or credentials get nothing', () => {
    for (const url of ['app://evil/index.html', 'app://posko:8080/index.html', 'app://user@posko/index.html', 'file:///etc/passwd', 'https://posko/index.html']) {
      expect(resolveAppPath(root, url), url).toBeNull()
    }
  })

  const root = resolve('/srv/posko/renderer')

  it('maps app URLs to files under the root, / to index.html', () => {
    expect(resolveAppPath(root, 'app://posko/')).toBe(join(root, 'index.html'))
    expect(resolveAppPath(root, 'app://posko/assets/app.js?v=1')).toBe(join(root, 'assets', 'app.js'))
    expect(resolveAppPath(root, 'app://posko/a%20b.png')).toBe(join(root, 'a b.png'))
  })

  const hostilePaths = [
    'app://posko/../../etc/passwd',
    'app://posko/%2e%2e/%2e%2e/etc/passwd',
    'app://posko//etc/passwd',
    'app://posko/assets/%2e%2e%2f%2e%2e%2fsecret',
    'app://posko/..%2f..%2fsecret',
    'app://posko/assets/..%5c..%5csecret',
    'app://posko/a%00.png',
    'app://posko/C:%5cWindows%5cwin.ini',
    'app://posko/%E0%A4%A',
    'not a url',
  ]

  it.each(hostilePaths)('never resolves %j outside the root', (url) => {
    const resolved = resolveAppPath(root, url)
    if (resolved !== null) expect(resolved.startsWith(root + '/')).toBe(true)
  })

  // Dot segments the URL parser leaves alone are decoded by us, so they must be refused explicitly.
  it.each(hostilePaths.slice(3))('refuses %j outright', (url) => {
    expect(resolveAppPath(root, url)).toBeNull()
  })

  it('the URL parser folds literal dot segments into the root, never above it', () => {
    expect(resolveAppPath(root, 'app://posko/../../etc/passwd')).toBe(join(root, 'etc', 'passwd'))
  })
})

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows no inline script, eval or remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })
})

describe('isBlockedShortcut', () => {
  const key = (k: string, mods: Partial<{ control: boolean; meta: boolean; alt: boolean; shift: boolean }> = {}) => ({
    type: 'keyDown',
    key: k,
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  })

  it.each([
    ['reload', key('r', { control: true })],
    ['hard reload', key('R', { control: true, shift: true })],
    ['F5', key('F5')],
    ['close', key('w', { control: true })],
    ['quit', key('q', { control: true })],
    ['quit (macOS)', key('q', { meta: true })],
    ['close (Ctrl+F4)', key('F4', { control: true })],
    ['Alt+F4', key('F4', { alt: true })],
    ['developer tools', key('I', { control: true, shift: true })],
    ['console', key('J', { control: true, shift: true })],
    ['F12', key('F12')],
    ['print dialog', key('p', { control: true })],
  ])('a packaged kiosk swallows %s', (_name, input) => {
    expect(isBlockedShortcut(input, true)).toBe(true)
  })

  it.each([
    ['typing', key('r')],
    ['a capital', key('R', { shift: true })],
    ['Enter', key('Enter')],
    ['Tab back', key('Tab', { shift: true })],
    ['copy', key('c', { control: true })],
    ['paste', key('v', { control: true })],
    ['undo', key('z', { control: true })],
    ['select all', key('a', { control: true })],
  ])('lets %s through', (_name, input) => {
    expect(isBlockedShortcut(input, true)).toBe(false)
  })

  it('only acts on key presses, and a developer keeps reload and the tools', () => {
    expect(isBlockedShortcut({ ...key('r', { control: true }), type: 'keyUp' }, true)).toBe(false)
    expect(isBlockedShortcut(key('r', { control: true }), false)).toBe(false)
    expect(isBlockedShortcut(key('F12'), false)).toBe(false)
  })
})

describe('kioskWindowOptions', () => {
  it('a post gets an isolated, sandboxed, Node-free full-screen kiosk without devtools', () => {
    const options = kioskWindowOptions({ preload: '/app/preload.cjs', packaged: true, kiosk: true })
    expect(options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true })
    expect(options.webPreferences).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    })
  })

  it('a developer gets a window with devtools, and the same walls', () => {
    const options = kioskWindowOptions({ preload: '/p', packaged: false, kiosk: false })
    expect(options).toMatchObject({ kiosk: false, fullscreen: false, webPreferences: { devTools: true, sandbox: true, contextIsolation: true, nodeIntegration: false } })
  })
})
