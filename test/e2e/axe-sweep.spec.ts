import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './harness'

/**
 * Every screen in the menu, for every staff role, in both languages: no serious or critical axe violation.
 * The screens' own specs check their states in depth; this sweep makes sure no screen is left out of either language.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)
}

for (const role of ['supervisor', 'operator', 'it'] as const) {
  test.describe(`axe sweep as ${role}`, () => {
    test.use({ signedInAs: role })

    for (const language of ['Bahasa Indonesia', 'English'] as const) {
      test(`every menu screen, in ${language}`, async ({ app }) => {
        // Up to a dozen screens and as many axe runs: more than a minute on a loaded 2-core machine.
        test.setTimeout(120_000)
        const { page } = app
        await page.getByRole('button', { name: language, exact: false }).first().click()
        await expect(page.locator('html')).toHaveAttribute('lang', language === 'English' ? 'en' : 'id')
        const menu = page.getByRole('navigation').first()
        await expect(menu.getByRole('button').first()).toBeVisible()
        const entries = await menu.getByRole('button').allTextContents()
        expect(entries.length).toBeGreaterThan(0)
        for (const entry of entries) {
          await menu.getByRole('button', { name: entry, exact: true }).click()
          await expect(menu.getByRole('button', { name: entry, exact: true })).toHaveAttribute('aria-current', 'page')
          // The screen has rendered when its heading is there (not "network idle": Playwright advises against it,
          // and on a loaded machine it once never settled within the test's minute).
          await expect(page.locator('main h1, h1').first()).toBeVisible()
          expect(await seriousViolations(page), `${role} ${language} ${entry}`).toEqual([])
        }
      })
    }
  })
}
