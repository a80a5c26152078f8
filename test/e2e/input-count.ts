import type { Locator, Page } from '@playwright/test'
import { expect } from '@playwright/test'

/**
 * Counts what a person does to register someone (issue 19, point 4): keystrokes and clicks at the desk, taps at a
 * self-service kiosk. Every action goes through here, so the count is the run; none is done beside it. Each
 * click or tap first checks that its target is wholly on screen: a run that needs scrolling fails instead of
 * counting a tap nobody could make. Reused by the KTP step's "≤ 60 with the card read" run.
 */
export class InputCounter {
  keystrokes = 0
  clicks = 0

  constructor(private readonly page: Page) {}

  /** Characters typed into the focused field: one keystroke each. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text)
    this.keystrokes += text.length
  }

  /** A key (Tab, Enter, Space…), `times` over. */
  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key)
    this.keystrokes += times
  }

  /** A click (or a tap) on something already on screen. */
  async click(target: Locator): Promise<void> {
    await expect(target).toBeInViewport({ ratio: 1 })
    await target.click()
    this.clicks += 1
  }

  /**
   * A touch screen's drop-down: one tap opens the list, one picks the entry. Headless Chromium draws no list to tap,
   * so the choice is made for the person and counted as those two taps.
   */
  async choose(select: Locator, label: string): Promise<void> {
    await expect(select).toBeInViewport({ ratio: 1 })
    await select.selectOption({ label })
    this.clicks += 2
  }

  /** Taps on an on-screen keyboard: one per character (its space is "Spasi"). */
  async tapKeys(keyboard: Locator, text: string): Promise<void> {
    for (const char of text) await this.click(keyboard.getByRole('button', { name: char === ' ' ? 'Spasi' : char, exact: true }))
  }

  get total(): number {
    return this.keystrokes + this.clicks
  }

  /** One line for the run's output (and BENCHMARKS.md). */
  summary(label: string): string {
    return `${label}: ${this.keystrokes} keystrokes + ${this.clicks} clicks/taps = ${this.total} inputs`
  }
}

/**
 * The work and schooling step as a trained operator does it: focus is on the work drop-down, typing picks its entry
 * ("p": Pencari kerja), Tab, "sma", and Enter moves on from the drop-down. Counted like every other input.
 */
export async function workAndSchoolingByKeyboard(page: Page, input: InputCounter): Promise<void> {
  const employment = page.getByLabel('Status pekerjaan')
  await expect(employment).toBeFocused()
  await input.type('p')
  await expect(employment).toHaveValue('job_seeker')
  await input.press('Tab')
  await input.type('sma')
  await expect(page.getByLabel('Pendidikan terakhir')).toHaveValue('sma_smk')
  await input.press('Enter')
}
