import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import { expect, root, test } from './harness'
import { screenshot } from './screenshots'

test.describe('home screen', () => {
  test('shows the post, kiosk facts and zero queue counts from the real services, in Indonesian', { tag: '@screenshot' }, async ({ app }) => {
    const { page } = app
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Selamat datang di Posko Kota Surabaya')
    await expect(page.locator('html')).toHaveAttribute('lang', 'id')
    await expect(page.getByRole('heading', { name: 'Antrean unggah' })).toBeVisible()
    await expect(page.getByRole('row', { name: /Menunggu unggah/ })).toContainText('0')
    await expect(page.getByText('Total pendaftaran di perangkat ini: 0')).toBeVisible()
    await expect(page.getByText('JT-3578-01')).toBeVisible()
    await expect(page.getByText('0.0.0-test')).toBeVisible()
    await screenshot(page, 'home-id')
  })

  test('switching to English relabels the screen and the choice is kept by the kiosk', async ({ app, kiosk }) => {
    const { page } = app
    const group = page.getByRole('group', { name: 'Bahasa' })
    await expect(group.getByRole('button', { name: 'Bahasa Indonesia' })).toHaveAttribute('aria-pressed', 'true')
    await group.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to Kota Surabaya Post')
    await expect(page.getByRole('heading', { name: 'Upload queue' })).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true')

    // The setting lives in the kiosk's store, not in the page: a reload comes back in English.
    const info = await kiosk.call('app.info')
    expect(info).toMatchObject({ ok: true, value: { language: 'en' } })
    await page.reload()
    await expect(page.getByRole('heading', { name: 'Upload queue' })).toBeVisible()

    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Bahasa Indonesia' }).click()
    await expect(page.getByRole('heading', { name: 'Antrean unggah' })).toBeVisible()
  })

  test('the language switch works by keyboard alone', async ({ app }) => {
    const { page } = app
    await page.getByRole('button', { name: 'English' }).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { name: 'Upload queue' })).toBeVisible()
  })

  for (const language of ['id', 'en'] as const) {
    test(`has no serious or critical accessibility violations (${language})`, async ({ app }) => {
      const { page } = app
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click()
      await expect(page.getByRole('table')).toBeVisible()
      const results = await new AxeBuilder({ page }).analyze()
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([])
    })
  }

  test('a page without the bridge shows a clear error instead of a blank screen', async ({ page }) => {
    const { startWebServer } = await import('../../main/web/server')
    const { createMemoryLogger } = await import('../../main/services/platform/logger')
    const server = await startWebServer({
      rendererDir: join(root, 'dist', 'renderer'),
      bridgeFile: join(root, 'dist', 'web', 'bridge.js'),
      logger: createMemoryLogger(),
    })
    // A static-only server refuses RPC, so the HTTP bridge gets 403s: the UI must say so in Indonesian.
    await page.goto(server.url)
    await expect(page.getByRole('alert')).toContainText('Anda tidak memiliki izin')
    await server.close()
  })
})
