import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { expect, root, test } from './harness'

/** The session screens in English (session.spec.ts checks them in Indonesian, with their behaviour). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)
}

test.describe('signed out, in English', () => {
  test.use({ signedInAs: null })

  test('the sign-in screen', async ({ app, kiosk }) => {
    await kiosk.call('settings.setLanguage', { language: 'en' })
    await expect(app.page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible()
    expect(await seriousViolations(app.page)).toEqual([])
  })
})

test('the lock screen, in English', async ({ app, kiosk }) => {
  await kiosk.call('settings.setLanguage', { language: 'en' })
  await expect(app.page.locator('html')).toHaveAttribute('lang', 'en')
  kiosk.sessions.lock()
  await expect(app.page.getByRole('dialog')).toBeVisible()
  expect(await seriousViolations(app.page)).toEqual([])
})

const fresh = test.extend({
  kiosk: async ({ config }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-first-en-'))
    const kiosk: TestKiosk = createTestKiosk({ dataDir, config, version: '0.0.0-test', logger: createMemoryLogger(), resourcesDir: join(root, 'resources') })
    await use(kiosk)
    kiosk.close()
    rmSync(dataDir, { recursive: true, force: true })
  },
})

fresh('the first-run screen, in English', async ({ app, kiosk }) => {
  await kiosk.call('settings.setLanguage', { language: 'en' })
  await expect(app.page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(app.page.getByRole('heading', { level: 1 })).toBeVisible()
  expect(await seriousViolations(app.page)).toEqual([])
})
