import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { makeDraft } from '../fixtures/drafts'
import { root } from './harness'

/**
 * The real Electron app, launched through Playwright. Electron's binary is downloaded by its postinstall, which
 * these machines cannot reach, so this spec runs only where a binary exists (or ELECTRON_OVERRIDE_DIST_PATH names
 * one) and better-sqlite3 has been rebuilt for Electron's ABI by `npm start`.
 */
function electronBinary(): { path: string } | { skip: string } {
  const require = createRequire(import.meta.url)
  let path: string
  try {
    path = require('electron') as unknown as string
  } catch (error) {
    return { skip: `Electron binary not installed (${(error as Error).message.split('\n')[0]}); set ELECTRON_OVERRIDE_DIST_PATH to a local Electron` }
  }
  if (!existsSync(path)) return { skip: `Electron binary missing at ${path}` }
  return { path }
}

const nativeBinding = join(root, '.electron-native', 'better_sqlite3.node')

test('the app starts as Posko in the hardened window, without a menu, and registers through real IPC', async () => {
  const found = electronBinary()
  test.skip('skip' in found, 'skip' in found ? found.skip : '')
  test.skip(!existsSync(nativeBinding), 'better-sqlite3 is not rebuilt for Electron yet: run `npm start` once')
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-electron-'))
  // The project folder, as `npm start` launches it: Electron takes the name, version and main from package.json.
  const app = await electron.launch({
    executablePath: (found as { path: string }).path,
    args: [root],
    env: { ...process.env, POSKO_DATA_DIR: dataDir, POSKO_SQLITE_BINDING: nativeBinding },
  })
  const window = await app.firstWindow()
  await expect(window.getByRole('heading', { name: 'Antrean unggah' }).or(window.getByRole('heading', { name: 'Masuk' }))).toBeVisible()
  expect(await window.evaluate(() => location.protocol)).toBe('app:')

  // Who the app says it is, and where it keeps its data.
  const identity = await app.evaluate(({ app: electronApp, Menu }) => ({
    name: electronApp.getName(),
    version: electronApp.getVersion(),
    userData: electronApp.getPath('userData'),
    menu: Menu.getApplicationMenu(),
  }))
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { productName: string; version: string }
  expect(identity.name).toBe(pkg.productName)
  expect(identity.version).toBe(pkg.version)
  expect(basename(identity.userData)).toBe(pkg.productName)
  expect(identity.menu).toBeNull()

  // The window as Electron made it (its options are window-policy.ts's kioskWindowOptions, unit-tested).
  const shown = await app.evaluate(({ BrowserWindow }) => {
    const win = BrowserWindow.getAllWindows()[0]!
    return { windows: BrowserWindow.getAllWindows().length, menuBarVisible: win.isMenuBarVisible(), url: win.webContents.getURL(), devTools: win.webContents.isDevToolsOpened() }
  })
  expect(shown).toEqual({ windows: 1, menuBarVisible: false, url: 'app://posko/index.html', devTools: false })
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
  expect(await window.evaluate(() => typeof (globalThis as { Buffer?: unknown }).Buffer)).toBe('undefined')

  // A registration through the preload bridge and real IPC, as the renderer makes it (the demo supervisor exists
  // unpackaged).
  const outcome = await window.evaluate(async (draft) => {
    const posko = (window as unknown as { posko: Record<string, Record<string, (input?: unknown) => Promise<{ ok: boolean; value?: unknown }>>> }).posko
    const signedIn = await posko.session!.signIn!({ operatorId: 'demo', pin: '246810' })
    const submitted = await posko.registration!.submit!({ draft })
    return { signedIn: signedIn.ok, submitted }
  }, makeDraft())
  expect(outcome.signedIn).toBe(true)
  // sharp and its libvips load from outside the asar: a photo is processed, not refused as photo_engine_missing.
  const card = readFileSync(join(root, 'test', 'fixtures', 'photos', 'card-ktp.jpg')).toString('base64')
  const processed = await window.evaluate(async (jpegBase64) => {
    const posko = (window as unknown as { posko: { photo: { process: (input: unknown) => Promise<unknown> } } }).posko
    return posko.photo.process({ kind: 'card', jpegBase64 })
  }, card)
  expect(processed).toMatchObject({ ok: true, value: { kind: 'card', verdict: 'pass' } })
  expect(outcome.submitted).toMatchObject({ ok: true, value: { receiptNo: expect.stringMatching(/-\d{6}-0001$/) } })
  await app.close()
})
