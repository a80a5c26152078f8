import { join, resolve } from 'node:path'
import type { Locator, Page, PageScreenshotOptions } from '@playwright/test'
import type { Clock } from '../../main/services/platform/clock'
import { systemClock } from '../../main/services/platform/clock'

/**
 * Where the e2e suite's screenshots go. `npm test` writes them to test-results/screenshots/ (ignored), so a test run
 * leaves the work tree as it found it; `npm run screenshots` (scripts/screenshots.mjs) sets POSKO_SCREENSHOTS=docs,
 * runs only the tests tagged '@screenshot' and so refreshes docs/screenshots/, the README's pictures, on a fixed clock.
 * A test that calls screenshot() carries that tag.
 */
export const screenshotsForDocs = process.env.POSKO_SCREENSHOTS === 'docs'

const root = resolve(import.meta.dirname, '..', '..')
export const screenshotDir = screenshotsForDocs ? join(root, 'docs', 'screenshots') : join(root, 'test-results', 'screenshots')

/**
 * The moment every clock shows while the docs' screenshots are taken (a Monday morning at the post, WIB), so an
 * unchanged screen gives a byte-identical picture. Only in that mode: a normal run keeps the real time.
 */
export const SCREENSHOT_TIME = new Date('2026-03-02T09:30:00+07:00')

/** The kiosk services' clock in screenshot mode (createKiosk's `now`), or undefined for the real one. */
export const screenshotNow: (() => Date) | undefined = screenshotsForDocs ? () => new Date(SCREENSHOT_TIME) : undefined

/** The same for a Clock (e.g. createKiosk's `upload.clock`): the time stands still, timers still fire. */
export const screenshotClock: Clock | undefined = screenshotsForDocs ? { ...systemClock, now: () => SCREENSHOT_TIME.getTime() } : undefined

/** Today as the screens show it: the fixed date in screenshot mode, the real one otherwise. */
export const testNow = (): Date => (screenshotsForDocs ? new Date(SCREENSHOT_TIME) : new Date())

/**
 * The reference central's port in screenshot mode, for screens that show central's address (127.0.0.1:<port>);
 * undefined (any free port) otherwise.
 */
export const screenshotCentralPort: number | undefined = screenshotsForDocs ? 48787 : undefined

export interface ScreenshotOptions extends Omit<PageScreenshotOptions, 'path' | 'mask'> {
  /**
   * What differs from run to run whatever the clock, with no way to fix it from a test: random ids and keys, the
   * machine's free disk space, temp folder names. Covered with a grey box for docs/screenshots/ (so the committed
   * picture stays byte-identical); left visible in test-results/.
   */
  unstable?: Locator[]
}

/** Saves `name`.png of the page in screenshotDir, with animations stopped and the text caret hidden. */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<void> {
  const { unstable = [], ...rest } = options
  await page.screenshot({
    animations: 'disabled',
    caret: 'hide',
    ...rest,
    ...(screenshotsForDocs && unstable.length > 0 ? { mask: unstable, maskColor: '#d5d9df' } : {}),
    path: join(screenshotDir, `${name}.png`),
  })
}
