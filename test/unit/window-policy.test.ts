import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  allowNavigation,
  allowPermission,
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
