import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test as base, expect } from '@playwright/test'
import type { Locator, Page } from '@playwright/test'
import type { KioskConfig } from '../../common/config'
import { testConfig } from '../fixtures/config'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import type { Clock } from '../../main/services/platform/clock'
import { systemClock } from '../../main/services/platform/clock'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { DriveFinderOptions } from '../../main/services/storage/drives'
import type { WebServer } from '../../main/web/server'
import { startWebServer } from '../../main/web/server'
import { SCREENSHOT_TIME, screenshotNow, screenshotsForDocs } from './screenshots'

/**
 * DESIGN.md §4: the real services run in this test process with a temp data dir; the built renderer is served on
 * 127.0.0.1; `window.posko` reaches the same `dispatch()` main uses through `page.exposeBinding`.
 * Only the transport differs from production.
 */
export const root = resolve(import.meta.dirname, '..', '..')

export { testConfig }

/** Staff accounts every e2e kiosk starts with; `signedInAs` picks who is signed in when the page opens. */
export const STAFF = {
  supervisor: { id: 'sup-e2e', name: 'Sri Supervisor', pin: '246813' },
  operator: { id: 'op-e2e', name: 'Oki Operator', pin: '135792' },
  it: { id: 'it-e2e', name: 'Iwan IT', pin: '975312' },
} as const

interface Fixtures {
  kiosk: TestKiosk
  config: KioskConfig
  /** Where the kiosk looks for USB drives; by default a mount table that does not exist, so none are found. */
  drives: DriveFinderOptions | null
  /** Who is signed in before the page loads; null for the sign-in screen. */
  signedInAs: keyof typeof STAFF | null
  /** A post token the kiosk starts with (as the demo does), instead of an enrolment; none by default. */
  centralToken: string | null
  /** The kiosk has the KTP reader (the built dist/main/ktp-worker.cjs, issue 20); off by default, as most specs type. */
  ktpReader: boolean
  /**
   * The clock of the kiosk's session and retention timers (createKiosk's `clock`, as unit tests pass one); the real
   * one by default. A test that would otherwise wait out real seconds passes a `skippingClock()`.
   */
  kioskClock: Clock | null
  /** Files written into the kiosk's data folder before it opens (e.g. a damaged database); none by default. */
  dataFiles: Record<string, string>
  app: { page: Page; url: string }
}

export const test = base.extend<Fixtures>({
  config: [testConfig, { option: true }],
  signedInAs: ['supervisor', { option: true }],
  drives: [null, { option: true }],
  centralToken: [null, { option: true }],
  ktpReader: [false, { option: true }],
  kioskClock: [null, { option: true }],
  dataFiles: [{}, { option: true }],
  kiosk: async ({ config, signedInAs, drives, centralToken, ktpReader, kioskClock, dataFiles }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-'))
    for (const [name, text] of Object.entries(dataFiles)) writeFileSync(join(dataDir, name), text)
    const kiosk = createTestKiosk({
      dataDir,
      config,
      version: '0.0.0-test',
      logger: createMemoryLogger(),
      resourcesDir: join(root, 'resources'),
      // Never the machine's own sticks: a test sees the drives it set up, or none.
      drives: drives ?? { platform: 'linux', mountsFile: join(dataDir, 'no-mount-table') },
      now: screenshotNow,
      ...(centralToken ? { centralToken } : {}),
      ...(ktpReader ? { ktp: { workerScript: join(root, 'dist', 'main', 'ktp-worker.cjs') } } : {}),
      ...(kioskClock ? { clock: kioskClock } : {}),
    })
    for (const [role, staff] of Object.entries(STAFF)) {
      await kiosk.sessions.createOperator({ operatorId: staff.id, name: staff.name, role: role as keyof typeof STAFF, pin: staff.pin })
    }
    if (signedInAs) await kiosk.sessions.signIn(STAFF[signedInAs].id, STAFF[signedInAs].pin)
    await use(kiosk)
    kiosk.close()
    rmSync(dataDir, { recursive: true, force: true })
  },
  // `npm run screenshots`: the page's clock starts at the kiosk's fixed moment (screenshots.ts) and runs from there,
  // so countdowns still count down.
  page: async ({ page }, use) => {
    if (screenshotsForDocs) await page.clock.install({ time: SCREENSHOT_TIME })
    await use(page)
  },
  app: async ({ page, kiosk }, use) => {
    const server: WebServer = await startWebServer({
      rendererDir: join(root, 'dist', 'renderer'),
      bridgeFile: join(root, 'dist', 'web', 'bridge.js'),
      logger: createMemoryLogger(),
    })
    await page.exposeBinding('__poskoInvoke', (_source, channel: unknown, input: unknown) =>
      kiosk.dispatch(channel, input, { transport: 'test' }),
    )
    const unsubscribe = kiosk.events.subscribe((name, payload) => {
      void page
        .evaluate(([n, p]) => window.__poskoEmit?.(n as string, p), [name, payload] as const)
        .catch(() => undefined)
    })
    await page.goto(server.url)
    await use({ page, url: server.url })
    unsubscribe()
    await server.close()
  },
})

/**
 * A clock that runs with the real one and that a test moves forward (`skip`), for the kiosk's services (the
 * `kioskClock` option): with the page's clock moved as far (page.clock.fastForward), a retry delay passes at once.
 * Its timers are the real ones: one due while the clock was moved fires that much late (the session auto-lock).
 */
export function skippingClock(): Clock & { skip(ms: number): void } {
  let skipped = 0
  return {
    now: () => systemClock.now() + skipped,
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
    skip: (ms) => {
      skipped += ms
    },
  }
}

/**
 * A folder standing in for /media with one USB stick "mounted" in it (a mount table that says so), for the
 * `drives` option. `stick` is where files written to the stick land.
 */
export function fakeMedia(label = 'KINGSTON'): { drives: DriveFinderOptions; stick: string; remove: () => void } {
  const media = mkdtempSync(join(tmpdir(), 'posko-e2e-media-'))
  const stick = join(media, 'posko', label)
  mkdirSync(stick, { recursive: true })
  const mountsFile = join(media, 'mounts')
  writeFileSync(mountsFile, `/dev/vda1 / ext4 rw 0 0\n/dev/sdb1 ${stick} vfat rw,nosuid,nodev 0 0\n`)
  return { drives: { platform: 'linux', mountsFile, roots: [media] }, stick, remove: () => rmSync(media, { recursive: true, force: true }) }
}

/**
 * Holds the page's calls of `channel` until the test lets them go, so a screen's "running" state (its progress bar)
 * can be looked at; takes effect at the page's next load. `at: 'call'` holds a call before the kiosk sees it (the
 * real call runs only after `release`); `at: 'answer'` lets the kiosk run it, its progress events reaching the page
 * as usual, and holds only the answer.
 */
export async function holdCalls(page: Page, channel: string, at: 'call' | 'answer' = 'call') {
  await page.addInitScript(([held, when]) => {
    const invoke = window.__poskoInvoke
    if (!invoke) return
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    Object.assign(window, { __poskoRelease: () => release() })
    window.__poskoInvoke = async (name, input) => {
      if (name !== held) return invoke(name, input)
      if (when === 'call') await gate
      const answer = await invoke(name, input)
      if (when === 'answer') await gate
      return answer
    }
  }, [channel, at] as const)
  return { release: () => page.evaluate(() => (window as unknown as { __poskoRelease: () => void }).__poskoRelease()) }
}

/**
 * The main menu's entries, with the menu open: since issue 19 they sit behind one "Menu" button in the header (one
 * row instead of two). Opens it if it is closed; choosing an entry closes it again.
 */
export async function openMenu(page: Page): Promise<Locator> {
  const nav = page.getByRole('navigation', { name: /^(Menu utama|Main menu)$/ })
  const toggle = nav.getByRole('button', { name: 'Menu', exact: true })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  const list = nav.getByRole('list')
  await expect(list).toBeVisible()
  return list
}

/** The street half of the test applicant's KTP address (Indonesian labels), on the address step or its own page. */
export async function fillStreet(page: Page) {
  await page.getByLabel('Jalan dan nomor rumah').fill('Jl. Mastrip 12')
  await page.getByLabel('RT', { exact: true }).fill('3')
  await page.getByLabel('RW', { exact: true }).fill('5')
  await page.getByLabel('Kode pos').fill('60222')
}

/** The test applicant's KTP address once her NIK has filled province to district: her village, then the street. */
export async function fillAddress(page: Page) {
  await page.getByLabel('Kelurahan/desa').selectOption({ label: 'Kebraon' })
  await fillStreet(page)
}

export { expect }
