import { existsSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
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

test('the packaged renderer opens in the hardened Electron window', async () => {
  const found = electronBinary()
  test.skip('skip' in found, 'skip' in found ? found.skip : '')
  test.skip(!existsSync(nativeBinding), 'better-sqlite3 is not rebuilt for Electron yet: run `npm start` once')
  const app = await electron.launch({
    executablePath: (found as { path: string }).path,
    args: [join(root, 'dist', 'main', 'index.cjs')],
    env: { ...process.env, POSKO_DATA_DIR: mkdtempSync(join(tmpdir(), 'posko-electron-')), POSKO_SQLITE_BINDING: nativeBinding },
  })
  const window = await app.firstWindow()
  await expect(window.getByRole('heading', { name: 'Antrean unggah' })).toBeVisible()
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  expect(await window.evaluate(() => location.protocol)).toBe('app:')
  await app.close()
})
