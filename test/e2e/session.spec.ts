import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { Access } from '../../common/authz'
import { access } from '../../common/authz'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { makeDraft } from '../fixtures/drafts'
import { expect, root, STAFF, skippingClock, test, testConfig, openMenu } from './harness'
import { screenshot, screenshotsForDocs } from './screenshots'

/**
 * Sessions as staff meet them: the sign-in screen, wrong PINs that slow down and then lock the account, a
 * supervisor unlocking it, the first run of a new kiosk, the lock screen over unfinished work, what each role
 * may open, and signing out leaving nothing behind. Against the real services (retry delays included).
 */
type Staff = (typeof STAFF)[keyof typeof STAFF]

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

const signInButton = (page: Page) => page.getByRole('button', { name: 'Masuk', exact: true })
const problem = (page: Page) => page.getByRole('alert')
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Menu utama' })
const sessionBar = (page: Page) => page.getByRole('group', { name: 'Petugas yang sedang masuk' })
const lockDialog = (page: Page) => page.getByRole('dialog', { name: 'Layar terkunci' })

async function signIn(page: Page, staff: Staff, pin: string = staff.pin) {
  await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
  await page.getByLabel('ID petugas').fill(staff.id)
  await page.getByLabel('PIN', { exact: true }).fill(pin)
  await signInButton(page).click()
}

async function expectSignedIn(page: Page, staff: Staff, role: string) {
  await expect(sessionBar(page)).toContainText(staff.name)
  await expect(sessionBar(page)).toContainText(role)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Selamat datang di Posko Kota Surabaya')
}

async function signOut(page: Page) {
  await sessionBar(page).getByRole('button', { name: 'Keluar' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
}

const waitButton = (page: Page) => page.getByRole('button', { name: /^Tunggu \d+ detik$/ })

/**
 * A kiosk whose session clock the test moves forward (`skipper`), with the page's: the retry delays after wrong PINs
 * (1, 2, 4, 8 s) are the kiosk's own, checked as they are, without waiting them out.
 */
const skipping = test.extend<{ skipper: ReturnType<typeof skippingClock> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  skipper: async ({}, use) => use(skippingClock()),
  kioskClock: async ({ skipper }, use) => use(skipper),
})

/**
 * The seconds the sign-in form counts down pass at once, for the kiosk and the page (its clock installed) alike. At
 * most 8: the longest pause before the fifth wrong PIN locks the account.
 */
async function waitOut(page: Page, skipper: ReturnType<typeof skippingClock>): Promise<void> {
  const seconds = Number(/\d+/.exec((await waitButton(page).textContent()) ?? '')?.[0])
  expect(seconds).toBeGreaterThan(0)
  expect(seconds).toBeLessThanOrEqual(8)
  skipper.skip(seconds * 1000)
  await page.clock.fastForward(seconds * 1000)
}

/**
 * One wrong PIN that the kiosk counts. A try inside the retry delay (1, 2, 4, 8 s after each failure) is refused
 * without counting: the form then counts down, those seconds pass (waitOut), and the same PIN goes in again once the
 * button opens.
 */
async function wrongPinCounted(page: Page, skipper: ReturnType<typeof skippingClock>): Promise<string> {
  for (;;) {
    await expect(signInButton(page)).toBeEnabled({ timeout: 10_000 })
    await page.getByLabel('PIN', { exact: true }).fill('000000')
    await signInButton(page).click()
    // While the kiosk checks, the button says so; its return means the answer is on screen.
    await expect(page.getByRole('button', { name: 'Memeriksa…' })).toHaveCount(0)
    const said = (await problem(page).textContent()) ?? ''
    if (!said.startsWith('PIN belum diperiksa')) return said
    await expect(waitButton(page)).toBeDisabled()
    await waitOut(page, skipper)
  }
}

test.describe('sessions', () => {
  test.describe('signed out', () => {
    test.use({ signedInAs: null })

    test('the sign-in screen takes an operator ID and a masked, numeric PIN', { tag: '@screenshot' }, async ({ app }) => {
      const { page } = app
      await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
      // Nothing of the app is reachable before signing in.
      await expect(mainNav(page)).toHaveCount(0)
      await expect(page.getByLabel('ID petugas')).toBeFocused()
      const pin = page.getByLabel('PIN', { exact: true })
      await expect(pin).toHaveAttribute('type', 'password')
      await expect(pin).toHaveAttribute('inputmode', 'numeric')
      await expectNoSeriousViolations(page, 'sign-in')
      await screenshot(page, 'signin-id')

      // Explained at the fields before anything is sent: no PIN attempt is spent on a typo.
      await signInButton(page).click()
      await expect(page.getByLabel('ID petugas')).toHaveAttribute('aria-invalid', 'true')
      await page.getByLabel('ID petugas').fill(STAFF.operator.id)
      await pin.fill('12ab3')
      await expect(pin).toHaveValue('123')
      await signInButton(page).click()
      await expect(page.getByText('PIN harus 6 sampai 12 angka.')).toBeVisible()
      await expect(pin).toBeFocused()
      await expectNoSeriousViolations(page, 'sign-in with errors')

      await pin.fill(STAFF.operator.pin)
      await pin.press('Enter')
      await expectSignedIn(page, STAFF.operator, 'Operator')
    })

    skipping('five wrong PINs lock the account; a supervisor unlocks it in "Petugas" and the operator signs in again', { tag: '@screenshot' }, async ({ app, kiosk, skipper }) => {
      const { page } = app
      // The page's clock moves with the kiosk's (screenshot mode installed it already, at its fixed moment).
      if (!screenshotsForDocs) {
        await page.clock.install()
        await page.reload()
      }
      await signIn(page, STAFF.operator, '000000')
      await expect(problem(page)).toHaveText('ID petugas atau PIN salah.')
      await expect(page.getByLabel('PIN', { exact: true })).toHaveValue('')
      await expect(page.getByLabel('PIN', { exact: true })).toBeFocused()

      for (let failure = 2; failure <= 3; failure++) expect(await wrongPinCounted(page, skipper)).toBe('ID petugas atau PIN salah.')

      // At once again: after the third the kiosk wants a 4-second pause (after the first only 1 s, which a loaded
      // CI machine could let pass between two clicks); the form says the PIN was not checked, counts down, and
      // keeps the PIN typed (issue 19.10).
      await page.getByLabel('PIN', { exact: true }).fill('000000')
      await signInButton(page).click()
      await expect(problem(page)).toHaveText(
        /^PIN belum diperiksa: setelah PIN salah, percobaan berikutnya ditahan sebentar\. Tunggu [1-4] detik lagi, lalu tekan tombolnya lagi\. PIN yang Anda ketik tetap terisi\.$/,
      )
      await expect(waitButton(page)).toBeDisabled()
      await expect(page.getByLabel('PIN', { exact: true })).toHaveValue('000000')
      await waitOut(page, skipper)
      await expect(signInButton(page)).toBeEnabled()
      await expect(problem(page)).toHaveCount(0)

      expect(await wrongPinCounted(page, skipper)).toBe('ID petugas atau PIN salah.')
      expect(await wrongPinCounted(page, skipper)).toBe('Akun terkunci karena terlalu sering salah PIN. Coba lagi nanti (kunci terbuka sendiri), atau minta supervisor atau petugas TI membukanya.')
      expect(kiosk.sessions.listOperators().find((o) => o.id === STAFF.operator.id)).toMatchObject({ locked: true, failedAttempts: 5 })

      // Even the right PIN is refused now.
      await expect(signInButton(page)).toBeEnabled({ timeout: 10_000 })
      await page.getByLabel('PIN', { exact: true }).fill(STAFF.operator.pin)
      await signInButton(page).click()
      await expect(problem(page)).toHaveText(/^Akun terkunci/)

      await page.getByLabel('ID petugas').fill(STAFF.supervisor.id)
      await page.getByLabel('PIN', { exact: true }).fill(STAFF.supervisor.pin)
      await signInButton(page).click()
      await expectSignedIn(page, STAFF.supervisor, 'Supervisor')
      await (await openMenu(page)).getByRole('button', { name: 'Petugas' }).click()
      await expect(page.getByRole('heading', { level: 1, name: 'Petugas' })).toBeFocused()
      const row = page.getByRole('row', { name: new RegExp(STAFF.operator.id) })
      await expect(row).toContainText('Terkunci')
      await expect(row).toContainText('Aktif')
      await expectNoSeriousViolations(page, 'operators')
      await screenshot(page, 'operators-id', { fullPage: true })

      await row.getByRole('button', { name: `Buka kunci ${STAFF.operator.name}` }).click()
      await expect(page.getByRole('status').filter({ hasText: `Kunci akun ${STAFF.operator.name} dibuka.` })).toBeVisible()
      await expect(row).not.toContainText('Terkunci')
      await expect(row.getByRole('button', { name: /^Buka kunci/ })).toHaveCount(0)

      await signOut(page)
      await signIn(page, STAFF.operator)
      await expectSignedIn(page, STAFF.operator, 'Operator')
    })
  })

  test.describe('self-service kiosk', () => {
    test.use({ signedInAs: null, config: { ...testConfig, mode: 'self-service' } })

    test('nobody signed in gets the applicants\' welcome screen, not the staff sign-in screen', async ({ app }) => {
      const { page } = app
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Selamat datang')
      await expect(page.getByRole('heading', { name: 'Masuk petugas' })).toHaveCount(0)
      await expect(page.getByRole('button', { name: 'Mulai', exact: true })).toBeVisible()
      // Nothing staff-only is offered to an applicant: no menu, no queue, no session bar (selfservice.spec.ts).
      await expect(mainNav(page)).toHaveCount(0)
      await expect(page.getByRole('heading', { name: 'Antrean unggah' })).toHaveCount(0)
      await expect(sessionBar(page)).toHaveCount(0)
    })
  })

  test.describe('first run', () => {
    // A kiosk fresh from the box: no staff account at all.
    const fresh = test.extend({
      kiosk: async ({ config }, use) => {
        const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-first-'))
        const kiosk: TestKiosk = createTestKiosk({ dataDir, config, version: '0.0.0-test', logger: createMemoryLogger(), resourcesDir: join(root, 'resources') })
        await use(kiosk)
        kiosk.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    })

    fresh('a kiosk with no staff asks for the first supervisor, who is then signed in', async ({ app, kiosk }) => {
      const { page } = app
      await expect(page.getByRole('heading', { level: 1, name: 'Buat supervisor pertama' })).toBeVisible()
      await expect(page.getByLabel('ID petugas')).toBeFocused()
      await expectNoSeriousViolations(page, 'first run')

      await page.getByLabel('ID petugas').fill('spv-sby')
      await page.getByLabel('Nama lengkap').fill('Rina Wulandari')
      await page.getByLabel('PIN', { exact: true }).fill('483920')
      await page.getByLabel('Ulangi PIN').fill('483921')
      await page.getByRole('button', { name: 'Buat supervisor dan masuk' }).click()
      await expect(page.getByText('Kedua PIN tidak sama.')).toBeVisible()
      await expect(page.getByLabel('Ulangi PIN')).toBeFocused()

      // The kiosk refuses a PIN anyone would guess first.
      await page.getByLabel('PIN', { exact: true }).fill('123456')
      await page.getByLabel('Ulangi PIN').fill('123456')
      await page.getByRole('button', { name: 'Buat supervisor dan masuk' }).click()
      await expect(page.getByText('PIN terlalu mudah ditebak')).toBeVisible()
      await expectNoSeriousViolations(page, 'first run with errors')

      await page.getByLabel('PIN', { exact: true }).fill('483920')
      await page.getByLabel('Ulangi PIN').fill('483920')
      await page.getByRole('button', { name: 'Buat supervisor dan masuk' }).click()
      await expect(sessionBar(page)).toContainText('Rina Wulandari')
      await expect(sessionBar(page)).toContainText('Supervisor')
      expect(kiosk.sessions.listOperators()).toMatchObject([{ id: 'spv-sby', role: 'supervisor', active: true }])
    })
  })

  test.describe('locked', () => {
    test.use({ signedInAs: 'operator' })

    test('the lock screen covers a half-filled registration, and the PIN brings it back as it was', { tag: '@screenshot' }, async ({ app, kiosk }) => {
      const { page } = app
      await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
      await page.getByLabel('Saya setuju data pribadi saya diproses').check()
      await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
      await page.getByRole('button', { name: 'Lanjut' }).click()
      const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
      await nik.fill('3578 0141 0190 0003')
      await expect(page.getByLabel('Tanggal lahir')).toHaveValue('01/01/1990')

      // What the auto-lock timer does after the idle minutes (the timer itself has unit tests).
      kiosk.sessions.lock()
      await expect(lockDialog(page)).toBeVisible()
      await expect(lockDialog(page)).toContainText('Sedang dipakai oleh Oki Operator (Operator).')
      await expect(page.getByLabel('PIN', { exact: true })).toBeFocused()
      // The form is still there, but out of reach: not in the accessibility tree, not focusable.
      await expect(nik).toHaveCount(0)
      await expect(page.locator('.frame')).toHaveAttribute('inert', '')
      await expectNoSeriousViolations(page, 'lock')
      await screenshot(page, 'lock-id')

      await page.getByLabel('PIN', { exact: true }).fill('111111')
      await page.getByRole('button', { name: 'Buka kunci' }).click()
      await expect(problem(page)).toHaveText('PIN salah.')
      // The right PIN within a second of a wrong one: the kiosk asks for a pause; the form explains it, counts it
      // down, and keeps the right PIN typed, so one more press opens the lock (issue 19.10).
      await page.getByLabel('PIN', { exact: true }).fill(STAFF.operator.pin)
      await page.getByRole('button', { name: 'Buka kunci' }).click()
      await expect(problem(page)).toHaveText('PIN belum diperiksa: setelah PIN salah, percobaan berikutnya ditahan sebentar. Tunggu 1 detik lagi, lalu tekan tombolnya lagi. PIN yang Anda ketik tetap terisi.')
      await expect(page.getByLabel('PIN', { exact: true })).toHaveValue(STAFF.operator.pin)
      await expect(page.getByRole('button', { name: 'Buka kunci' })).toBeEnabled({ timeout: 5_000 })
      await expect(problem(page)).toHaveCount(0)
      await expect(page.getByLabel('PIN', { exact: true })).toHaveValue(STAFF.operator.pin)
      await page.getByRole('button', { name: 'Buka kunci' }).click()

      await expect(lockDialog(page)).toHaveCount(0)
      await expect(nik).toHaveValue('3578 0141 0190 0003')
      await expect(page.getByLabel('Tanggal lahir')).toHaveValue('01/01/1990')
      await expect(page.getByRole('radio', { name: 'Perempuan' })).toBeChecked()
      await page.getByRole('button', { name: 'Kembali' }).click()
      await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toBeChecked()
    })

    test('"Kunci layar" locks at once; "Keluar" on the lock screen signs out and drops the draft', async ({ app, kiosk }) => {
      const { page } = app
      await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
      await page.getByLabel('Saya setuju data pribadi saya diproses').check()
      await sessionBar(page).getByRole('button', { name: 'Kunci layar' }).click()
      await expect(lockDialog(page)).toBeVisible()
      expect(kiosk.sessions.state().status).toBe('locked')

      // Behind the lock only public channels answer; signing out must be one of them.
      const rule: Access = access['session.signOut']
      test.skip(!rule.public, 'session.signOut is refused while locked until common/authz.ts marks it public (asked for)')
      await lockDialog(page).getByRole('button', { name: 'Keluar' }).click()
      await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
      await signIn(page, STAFF.operator)
      await (await openMenu(page)).getByRole('button', { name: 'Pendaftaran baru' }).click()
      await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).not.toBeChecked()
    })

    test('a call refused because the session locked brings the lock screen, even if the event was missed', async ({ app, kiosk }) => {
      const { page } = app
      await expect(page.getByRole('table')).toBeVisible()
      // Drop pushed events: only the refused call can tell the page that the session locked.
      await page.evaluate(() => {
        window.__poskoEmit = () => undefined
      })
      kiosk.sessions.lock()
      await (await openMenu(page)).getByRole('button', { name: 'Perlu diperbaiki' }).click()
      await expect(lockDialog(page)).toBeVisible()
      await page.getByLabel('PIN', { exact: true }).fill(STAFF.operator.pin)
      await page.getByRole('button', { name: 'Buka kunci' }).click()
      await expect(lockDialog(page)).toHaveCount(0)
      // The list refused behind the lock loads again by itself once the PIN is back.
      await expect(page.getByRole('heading', { name: 'Tidak ada pendaftaran yang perlu diperbaiki.' })).toBeVisible()

      // Signed out behind the page's back: the next refused call brings the sign-in screen.
      await (await openMenu(page)).getByRole('button', { name: 'Cari pendaftaran' }).click()
      await page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama').fill('3578014101900003')
      kiosk.sessions.signOut()
      await page.getByRole('button', { name: 'Cari', exact: true }).click()
      await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
    })

    test('typing counts as activity: at most one session.touch per 30 seconds', async ({ app }) => {
      const { page } = app
      // Count the page's calls by wrapping the test binding before the bridge picks it up, on a fake page clock.
      await page.clock.install()
      await page.addInitScript(() => {
        const invoke = window.__poskoInvoke
        if (!invoke) return
        const calls: string[] = []
        Object.assign(window, { __poskoCalls: calls })
        window.__poskoInvoke = (channel, input) => {
          calls.push(channel)
          return invoke(channel, input)
        }
      })
      await page.reload()
      await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
      const touches = () => page.evaluate(() => (window as unknown as { __poskoCalls: string[] }).__poskoCalls.filter((c) => c === 'session.touch').length)
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      expect(await touches()).toBe(0)
      await page.clock.fastForward('00:31')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      await expect.poll(touches).toBe(1)
      await page.clock.fastForward('00:10')
      await page.mouse.click(10, 300)
      expect(await touches()).toBe(1)
      await page.clock.fastForward('00:25')
      await page.mouse.click(10, 300)
      await expect.poll(touches).toBe(2)
    })
  })

  test.describe('roles', () => {
    test.describe('operator', () => {
      test.use({ signedInAs: 'operator' })

      test('an operator sees no supervisor screens, and the kiosk refuses the calls too', async ({ app }) => {
        const { page } = app
        await expect((await openMenu(page)).getByRole('button')).toHaveText(['Beranda', 'Pendaftaran baru', 'Cari pendaftaran', 'Perlu diperbaiki'])
        // Hiding the menu is a courtesy; the kiosk itself says no.
        const answer = await page.evaluate(() => window.posko!.operators.list())
        expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } })
        expect(await page.evaluate(() => window.posko!.audit.list({}))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      })
    })

    test.describe('IT', () => {
      test.use({ signedInAs: 'it' })

      test('IT sees the home screen with queue and upload, and nothing with personal data', async ({ app }) => {
        const { page } = app
        await expectSignedIn(page, STAFF.it, 'Petugas TI')
        // Enrolling the kiosk is IT's (tools.spec.ts), and so is Diagnostik (diagnostics.spec.ts): neither shows personal data.
        // "Petugas" lets IT unlock a locked-out supervisor (only that: no adding or deactivating staff); IT may look at
        // "Pasangkan meja" (issue 21.1: pairing desks), a supervisor pairs.
        await expect((await openMenu(page)).getByRole('button')).toHaveText(['Beranda', 'Petugas', 'Pasangkan meja', 'Pendaftaran perangkat', 'Diagnostik'])
        await expect(page.getByRole('button', { name: 'Mulai pendaftaran baru' })).toHaveCount(0)
        await expect(page.getByRole('button', { name: 'Cari pendaftaran' })).toHaveCount(0)
        await expect(page.getByRole('heading', { name: 'Antrean unggah' })).toBeVisible()
        await expect(page.getByRole('heading', { name: 'Pengiriman ke pusat' })).toBeVisible()
        expect(await page.evaluate(() => window.posko!.registration.find({ query: '3578014101900003' }))).toMatchObject({ ok: false, error: { code: 'forbidden' } })
        await expectNoSeriousViolations(page, 'home (IT)')
        await (await openMenu(page)).getByRole('button', { name: 'Petugas' }).click()
        await expect(page.getByRole('heading', { level: 1, name: 'Petugas' })).toBeFocused()
        await expect(page.getByRole('heading', { name: 'Tambah petugas' })).toHaveCount(0)
        await expect(page.getByRole('button', { name: /^Nonaktifkan/ })).toHaveCount(0)
      })
    })
  })

  test('signing out clears what was on screen: search results and drafts are gone for the next person', async ({ app, kiosk }) => {
    const submitted = await kiosk.call('registration.submit', { draft: makeDraft() })
    expect(submitted.ok).toBe(true)
    const { page } = app
    await (await openMenu(page)).getByRole('button', { name: 'Cari pendaftaran' }).click()
    await page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama').fill('3578014101900003')
    await page.getByRole('button', { name: 'Cari', exact: true }).click()
    await expect(page.getByRole('row', { name: /SITI MARKERNAMA ZULAIKHA/ })).toBeVisible()

    await signOut(page)
    await expect(page.getByText('SITI MARKERNAMA ZULAIKHA')).toHaveCount(0)
    await signIn(page, STAFF.supervisor)
    await expectSignedIn(page, STAFF.supervisor, 'Supervisor')
    await (await openMenu(page)).getByRole('button', { name: 'Cari pendaftaran' }).click()
    await expect(page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama')).toHaveValue('')
    await expect(page.getByRole('row', { name: /SITI MARKERNAMA ZULAIKHA/ })).toHaveCount(0)
  })
})
