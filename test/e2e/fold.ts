import type { Page } from '@playwright/test'
import { expect } from '@playwright/test'

/**
 * Issue 19, point 3: at 1366×768 a step's inputs and its primary action are on screen without scrolling. Checked
 * with the page scrolled to the top: every enabled-or-not input, select and text area in the main landmark, the
 * fixed action bar's buttons, the camera's preview and its shutter must lie inside the viewport, and nothing but
 * the action bar itself may sit under the action bar (a field hidden behind it is not visible either).
 * `primary` is the button that moves the step on ("Lanjut", "Kirim", "Mulai"); it must be among what is checked.
 */
export async function expectAboveTheFold(page: Page, where: string, primary: string): Promise<void> {
  // The page and any scrolling area in it (the self-service content above its on-screen keyboard) at the top.
  await page.evaluate(() => {
    window.scrollTo(0, 0)
    for (const el of document.querySelectorAll('.osk-content, main')) el.scrollTop = 0
  })
  await expect(page.getByRole('button', { name: primary, exact: true })).toBeVisible()
  const report = await page.evaluate((primaryName) => {
    const height = window.innerHeight
    const width = window.innerWidth
    const bar = document.querySelector('.action-bar')
    const barTop = bar ? bar.getBoundingClientRect().top : height
    const candidates = [
      ...document.querySelectorAll('main input, main select, main textarea, main video, main .camera-shoot, main .action-bar button'),
    ]
    const describe = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(label ?? '').trim().slice(0, 40)}"`
    }
    const offenders: string[] = []
    let primaryFound = false
    for (const el of candidates) {
      const box = el.getBoundingClientRect()
      // Not rendered (display: none, a closed <details>): not part of this step's screen.
      if (box.width === 0 && box.height === 0) continue
      if ((el as HTMLInputElement).type === 'hidden') continue
      const inBar = bar?.contains(el) ?? false
      if (inBar && el.textContent?.trim() === primaryName) primaryFound = true
      const bottom = inBar ? height : barTop
      if (box.top < 0 || box.left < 0 || box.right > width + 0.5 || box.bottom > bottom + 0.5) {
        offenders.push(`${describe(el)} at ${Math.round(box.top)}–${Math.round(box.bottom)} (fold ${Math.round(bottom)})`)
      }
    }
    return { offenders, primaryFound, scrolled: window.scrollY }
  }, primary)
  expect(report.scrolled, `${where}: scrolled`).toBe(0)
  expect(report.primaryFound, `${where}: "${primary}" in the action bar`).toBe(true)
  // Soft: one run reports every step that overflows, not just the first.
  expect.soft(report.offenders, `${where}: below the fold or under the action bar`).toEqual([])
}
