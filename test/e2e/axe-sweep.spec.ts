import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, openMenu, test } from './harness'

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
        // The menu is one "Menu" button in the header (issue 19); its entries are listed once it is open.
        const entries = await (await openMenu(page)).getByRole('button').allTextContents()
        expect(entries.length).toBeGreaterThan(0)
        for (const entry of entries) {
          await (await openMenu(page)).getByRole('button', { name: entry, exact: true }).click()
          await expect((await openMenu(page)).getByRole('button', { name: entry, exact: true })).toHaveAttribute('aria-current', 'page')
          // The open menu itself, once: then closed again, as it is while people work.
          if (entry === entries[0]) expect(await seriousViolations(page), `${role} ${language} menu open`).toEqual([])
          await page.keyboard.press('Escape')
          // The screen has rendered when its heading is there (not "network idle": Playwright advises against it,
          // and on a loaded machine it once never settled within the test's minute).
          await expect(page.locator('main h1, h1').first()).toBeVisible()
          expect(await seriousViolations(page), `${role} ${language} ${entry}`).toEqual([])
        }
      })
    }
  })
}
