import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { KioskConfig } from '../../common/config'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { makeDraft, MARKERS } from '../fixtures/drafts'
import { expect, root, STAFF, test, testConfig, openMenu } from './harness'
import { screenshot, screenshotsForDocs } from './screenshots'

/**
 * The self-service kiosk as an applicant meets it, by touch: the welcome screen with the consent, one question per
 * screen, the on-screen keyboard (clicked key by key, never the physical keyboard, unless a test says so), the
 * receipt; the idle warning and wipe on Playwright's clock; and the staff's ways in and out (hidden gesture, mode
 * switch, review of held registrations). A valid NIK for a woman born 1 January 1990 in Karang Pilang, Kota
 * Surabaya (35.78.01), as in registration.spec.ts.
 */
const NIK = '3578014101900003'
const NAME = 'SITI RAHAYU'
const selfService: KioskConfig = { ...testConfig, mode: 'self-service' }

const RECEIPT_NO = /^JT-3578-01-\d{6}-\d{4}$/

const welcomeHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Selamat datang' })
const question = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })
const keyboard = (page: Page) => page.getByRole('group', { name: 'Papan ketik' })
const key = (page: Page, name: string) => keyboard(page).getByRole('button', { name, exact: true })
const next = (page: Page) => page.getByRole('button', { name: 'Lanjut', exact: true }).click()
const idleDialog = (page: Page) => page.getByRole('alertdialog', { name: 'Masih di sini?' })
const sessionBar = (page: Page) => page.getByRole('group', { name: 'Petugas yang sedang masuk' })

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

/** Types on the on-screen keyboard only: one click per character, as a finger would. */
async function tap(page: Page, text: string) {
  for (const char of text) await key(page, char === ' ' ? 'Spasi' : char).click()
}

/** Focuses a field by tapping it: our keyboard opens (and the OS one is told to stay away). */
async function tapField(page: Page, field: ReturnType<Page['getByLabel']>, kind: string) {
  await field.click()
  await expect(field).toBeFocused()
  await expect(field).toHaveAttribute('inputmode', 'none')
  await expect(field).toHaveAttribute('data-keyboard', kind)
  await expect(keyboard(page)).toBeVisible()
}

async function consentAndStart(page: Page) {
  await expect(welcomeHeading(page)).toBeVisible()
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await page.getByRole('button', { name: 'Mulai', exact: true }).click()
  // A page that asks for text opens with its first field focused (issue 19): one tap fewer.
  await expect(question(page, 'Masukkan NIK Anda')).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toBeFocused()
}

async function typeNik(page: Page) {
  const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
  await tapField(page, nik, 'numeric')
  await tap(page, NIK)
  await expect(nik).toHaveValue(NIK)
  // The same autofill as at the desk: birth date, sex and the region the KTP was issued in.
  await expect(page.getByLabel('Tanggal lahir')).toHaveValue('01/01/1990')
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
}

async function typeIdentity(page: Page) {
  await tapField(page, page.getByLabel('Nama lengkap sesuai KTP'), 'text')
  await tap(page, NAME)
  await tapField(page, page.getByLabel('Tempat lahir'), 'text')
  await tap(page, 'SURABAYA')
  await expect(page.getByLabel('Nama lengkap sesuai KTP')).toHaveValue(NAME)
}

async function modeOf(kiosk: TestKiosk): Promise<string> {
  const info = await kiosk.call('app.info')
  return info.ok ? (info.value as { mode: string }).mode : 'unknown'
}

function registrations(kiosk: TestKiosk) {
  return kiosk.store.records().map(({ selfService, operatorId }) => ({ selfService: selfService ? 1 : 0, operatorId }))
}

test.describe('self-service kiosk', () => {
  test.use({ config: selfService, signedInAs: null })

  test('a whole registration by touch, on the on-screen keyboard only, ends on the receipt and is stored as self-service', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    test.setTimeout(120_000)
    const { page } = app
    await expect(welcomeHeading(page)).toBeVisible()
    // An applicant sees no menu, no session bar, nothing of the staff's.
    await expect(page.getByRole('navigation', { name: 'Menu utama' })).toHaveCount(0)
    await expect(sessionBar(page)).toHaveCount(0)
    await expect(page.getByText('Data pribadi Anda (NIK, nama, tanggal lahir')).toBeVisible()
    await expectNoSeriousViolations(page, 'welcome')
    await screenshot(page, 'selfservice-welcome-id')

    // "Mulai" without the two ticks explains itself at the boxes.
    await page.getByRole('button', { name: 'Mulai', exact: true }).click()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toHaveAttribute('aria-invalid', 'true')
    await consentAndStart(page)
    await expect(page.getByText('Langkah 1 dari 9')).toBeVisible()

    await typeNik(page)
    await expectNoSeriousViolations(page, 'NIK with the keyboard open')
    await screenshot(page, 'selfservice-keyboard-id')
    // Enter on the keyboard goes on, like "Lanjut".
    await key(page, 'Enter').click()
    await expect(question(page, 'Data diri sesuai KTP')).toBeVisible()
    // The next page's first field has focus, and the keys are the ones for it.
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toBeFocused()
    await expect(keyboard(page)).toBeVisible()
    await expect(page.getByText('Langkah 2 dari 9')).toBeVisible()

    await typeIdentity(page)
    // A mistyped letter goes with Hapus.
    await tap(page, 'X')
    await key(page, 'Hapus').click()
    await expect(page.getByLabel('Tempat lahir')).toHaveValue('SURABAYA')
    await next(page)

    await expect(question(page, 'Wilayah alamat KTP')).toBeFocused()
    await expect(page.getByLabel('Kabupaten/kota')).toHaveValue('35.78')
    await page.getByLabel('Kelurahan/desa').selectOption({ label: 'Kebraon' })
    await next(page)

    await expect(question(page, 'Jalan, RT/RW dan kode pos')).toBeVisible()
    await expect(page.getByLabel('Jalan dan nomor rumah')).toBeFocused()
    await tapField(page, page.getByLabel('Jalan dan nomor rumah'), 'text')
    await tap(page, 'JL. MASTRIP 12')
    await tapField(page, page.getByLabel('RT', { exact: true }), 'numeric')
    await tap(page, '3')
    await tapField(page, page.getByLabel('RW', { exact: true }), 'numeric')
    await tap(page, '5')
    await tapField(page, page.getByLabel('Kode pos'), 'numeric')
    // The field's maxlength holds for the keys too: the sixth digit is not typed.
    await tap(page, '602229')
    await expect(page.getByLabel('Kode pos')).toHaveValue('60222')
    await next(page)

    await expect(question(page, 'Nomor HP dan email')).toBeVisible()
    await expect(page.getByLabel('Nomor HP')).toBeFocused()
    await tapField(page, page.getByLabel('Nomor HP'), 'tel')
    await tap(page, '081234567890')
    await tapField(page, page.getByLabel('Email'), 'email')
    await tap(page, 'siti.rahayu')
    await key(page, '@gmail.com').click()
    await expect(page.getByLabel('Email')).toHaveValue('siti.rahayu@gmail.com')
    await next(page)

    await expect(question(page, 'Status pekerjaan Anda')).toBeFocused()
    await page.getByRole('radio', { name: 'Pencari kerja' }).click()
    await next(page)
    await expect(question(page, 'Pendidikan terakhir Anda')).toBeFocused()
    await page.getByRole('radio', { name: 'SMA/SMK/sederajat' }).click()
    await next(page)

    // Photos are optional at this post: the step can be skipped.
    await expect(question(page, 'Foto wajah dan KTP')).toBeFocused()
    await next(page)

    await expect(question(page, 'Periksa data Anda')).toBeFocused()
    await expect(page.getByText('Langkah 9 dari 9')).toBeVisible()
    await expect(page.getByRole('main')).toContainText(NAME)
    await expect(page.getByRole('main')).toContainText('0812-3456-7890')
    await page.getByRole('button', { name: 'Kirim', exact: true }).click()

    await expect(page.getByRole('heading', { level: 1, name: 'Pendaftaran selesai' })).toBeFocused()
    const receiptNo = page.getByText(RECEIPT_NO)
    await expect(receiptNo).toBeVisible()
    await expect(page.getByRole('img', { name: /^Kode QR tanda terima JT-3578-01-/ })).toBeVisible()
    await expectNoSeriousViolations(page, 'receipt')
    // The receipt names whose it is (name, masked NIK); nothing else the applicant typed stays on screen.
    await expect(page.locator('.receipt-name')).toHaveText(NAME.toUpperCase())
    await expect(page.locator('.receipt-nik')).toHaveText(`${NIK.slice(0, 4)} •••• •••• ${NIK.slice(12)}`)
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(NIK)

    expect(registrations(kiosk)).toEqual([{ selfService: 1, operatorId: null }])
    const stored = kiosk.store.records()[0]!
    await expect(receiptNo).toHaveText(stored.receiptNo)

    await page.getByRole('button', { name: 'Selesai', exact: true }).click()
    await expect(welcomeHeading(page)).toBeFocused()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).not.toBeChecked()
  })

  test('a physical keyboard still types into the fields', async ({ app }) => {
    const { page } = app
    await consentAndStart(page)
    const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
    await nik.click()
    await page.keyboard.type(NIK)
    await expect(nik).toHaveValue(NIK)
    await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
    // And the keys type at the caret, not only at the end.
    await nik.press('Home')
    await key(page, 'Hapus').click()
    await expect(nik).toHaveValue(NIK)
    await nik.press('ArrowRight')
    await key(page, 'Hapus').click()
    await expect(nik).toHaveValue(NIK.slice(1))
    await key(page, '3').click()
    await expect(nik).toHaveValue(NIK)
    await page.keyboard.press('Enter')
    await expect(question(page, 'Data diri sesuai KTP')).toBeVisible()
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toBeFocused()
  })

  test('left alone, it asks "Masih di sini?", then forgets the draft everywhere and shows the welcome screen', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    const { page } = app
    await page.clock.install()
    await page.reload()
    // `npm run screenshots`: time moves only when the test moves it (until the picture), so the countdown is the same.
    if (screenshotsForDocs) await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
    await consentAndStart(page)
    await typeNik(page)
    await key(page, 'Enter').click()
    await typeIdentity(page)

    // idle.warnSeconds is 60 and idle.resetSeconds 90 by default.
    await page.clock.fastForward('01:01')
    await expect(idleDialog(page)).toBeVisible()
    await expect(idleDialog(page).getByRole('timer')).toHaveText(/^\d+ detik lagi$/)
    await expect(page.getByRole('button', { name: 'Ya, lanjutkan' })).toBeFocused()
    // Opaque and modal: the form behind is out of reach and out of sight.
    await expect(page.getByRole('textbox', { name: 'Nama lengkap sesuai KTP' })).toHaveCount(0)
    await screenshot(page, 'selfservice-idle-id')
    if (screenshotsForDocs) await page.clock.resume() // axe waits on timers
    await expectNoSeriousViolations(page, 'idle warning')

    await page.clock.fastForward('00:30')
    await expect(welcomeHeading(page)).toBeVisible()
    await expect(idleDialog(page)).toHaveCount(0)
    const html = await page.evaluate(() => document.documentElement.outerHTML)
    for (const typed of [NIK, NAME, 'SURABAYA']) expect(html).not.toContain(typed)
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 })
    expect(await page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0)
    // Nor in the keyboard library's own copy of what was typed (it keeps its instances on window).
    const keyboardInputs = await page.evaluate(() => {
      const instances = (window as unknown as { SimpleKeyboardInstances?: Record<string, { input: Record<string, string> }> }).SimpleKeyboardInstances
      return JSON.stringify(Object.values(instances ?? {}).map((instance) => instance.input))
    })
    for (const typed of [NIK, 'SITI', 'SURABAYA']) expect(keyboardInputs).not.toContain(typed)
    expect(registrations(kiosk)).toEqual([])
    // Starting again starts from nothing.
    await consentAndStart(page)
    await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toHaveValue('')
  })

  test('"Ya, lanjutkan" keeps the draft and the wait starts over', async ({ app }) => {
    const { page } = app
    await page.clock.install()
    await page.reload()
    await consentAndStart(page)
    await typeNik(page)
    await page.clock.fastForward('01:01')
    await expect(idleDialog(page)).toBeVisible()
    await page.getByRole('button', { name: 'Ya, lanjutkan' }).click()
    await expect(idleDialog(page)).toHaveCount(0)
    const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
    await expect(nik).toHaveValue(NIK)
    // Focus is back in the field, with its keyboard: typing carries on.
    await expect(nik).toBeFocused()
    await key(page, 'Hapus').click()
    await expect(nik).toHaveValue(NIK.slice(0, -1))
    await page.clock.fastForward('00:59')
    await expect(idleDialog(page)).toHaveCount(0)
    await page.clock.fastForward('00:02')
    await expect(idleDialog(page)).toBeVisible()
  })

  test('five quick taps on the post name open the staff sign-in; staff get the staff screens, and signing out brings the welcome back', async ({ app }) => {
    const { page } = app
    await page.clock.install()
    await page.reload()
    const postName = page.getByText('Posko Kota Surabaya', { exact: true })
    // Too slow: four taps, a pause of three seconds, then one more.
    for (let i = 0; i < 4; i++) await postName.click()
    await page.clock.fastForward('00:03')
    await postName.click()
    await expect(page.getByRole('heading', { name: 'Masuk petugas' })).toHaveCount(0)
    for (let i = 0; i < 4; i++) await postName.click()
    await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
    await expect(page.getByLabel('ID petugas')).toHaveAttribute('inputmode', 'none')

    await page.getByLabel('ID petugas').fill(STAFF.supervisor.id)
    await page.getByLabel('PIN', { exact: true }).fill(STAFF.supervisor.pin)
    await page.getByRole('button', { name: 'Masuk', exact: true }).click()
    await expect(sessionBar(page)).toContainText(STAFF.supervisor.name)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Selamat datang di Posko Kota Surabaya')
    await expect(page.getByRole('navigation', { name: 'Menu utama' })).toBeVisible()

    await sessionBar(page).getByRole('button', { name: 'Keluar' }).click()
    await expect(welcomeHeading(page)).toBeVisible()
    await expect(sessionBar(page)).toHaveCount(0)
  })

  test('Ctrl+Shift+S opens the staff sign-in too, and "Kembali ke layanan mandiri" goes back, forgetting the draft', async ({ app }) => {
    const { page } = app
    await consentAndStart(page)
    await typeNik(page)
    await page.keyboard.press('Control+Shift+KeyS')
    await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
    await page.getByRole('button', { name: 'Kembali ke layanan mandiri' }).click()
    await expect(welcomeHeading(page)).toBeVisible()
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(NIK)
  })
})

/** Heights of the visible controls in main: the keys, and everything else (the page's own buttons and fields). */
function controlHeights(page: Page) {
  return page.evaluate(() => {
    const visible = (el: Element) => el.getBoundingClientRect().height > 0 && getComputedStyle(el).visibility !== 'hidden'
    const controls = [...document.querySelectorAll('main button, main input:not([type="checkbox"]):not([type="radio"]), main select, main .check, main .choice')].filter(visible)
    const isKey = (el: Element) => el.closest('.osk-dock') !== null
    const height = (el: Element) => Math.round(el.getBoundingClientRect().height)
    return { keys: controls.filter(isKey).map(height), page: controls.filter((el) => !isKey(el)).map(height) }
  })
}

function smallestText(page: Page) {
  return page.evaluate(() => {
    const texts = [...document.querySelectorAll('body *')].filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
    return Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize)))
  })
}

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 800, height: 1280 },
]) {
  test.describe(`self-service kiosk at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport, config: selfService, signedInAs: null })

    test('64 px targets on the page, keys at least 48 px, text at least 16 px, nothing sideways', async ({ app }) => {
      const { page } = app
      const check = async (where: string) => {
        const heights = await controlHeights(page)
        expect(Math.min(...heights.page), `${where}: page controls`).toBeGreaterThanOrEqual(64)
        if (heights.keys.length > 0) expect(Math.min(...heights.keys), `${where}: keys`).toBeGreaterThanOrEqual(48)
        expect(await smallestText(page), `${where}: text`).toBeGreaterThanOrEqual(16)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${where}: width`).toBeLessThanOrEqual(viewport.width)
      }
      await check('welcome')
      await consentAndStart(page)
      await typeNik(page)
      await check('NIK with the keyboard open')
      await key(page, 'Enter').click()
      await page.getByLabel('Nama lengkap sesuai KTP').click()
      await check('identity with the keyboard open')
    })
  })
}

test.describe('self-service kiosk in English', () => {
  test.use({ config: selfService, signedInAs: null })

  test('welcome, keyboard, idle warning and receipt pass axe in English', async ({ app }) => {
    test.setTimeout(90_000)
    const { page } = app
    await page.clock.install()
    await page.reload()
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expectNoSeriousViolations(page, 'welcome (en)')
    await page.getByLabel('I agree that my personal data is processed').check()
    await page.getByLabel('I declare that the data I give is true').check()
    await page.getByRole('button', { name: 'Start', exact: true }).click()

    const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
    await nik.click()
    await page.getByRole('group', { name: 'Keyboard' }).getByRole('button', { name: '3', exact: true }).click()
    await expect(nik).toHaveValue('3')
    await expectNoSeriousViolations(page, 'NIK with the keyboard open (en)')

    await page.clock.fastForward('01:01')
    await expect(page.getByRole('alertdialog', { name: 'Still there?' })).toBeVisible()
    await expectNoSeriousViolations(page, 'idle warning (en)')
    await page.getByRole('button', { name: 'Yes, continue' }).click()

    await nik.fill(NIK)
    await expect(page.getByLabel('District')).toHaveValue('35.78.01')
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByLabel('Full name as on the KTP').fill(NAME)
    await page.getByLabel('Place of birth').fill('Surabaya')
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByLabel('Village').selectOption({ label: 'Kebraon' })
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByLabel('Street and house number').fill('Jl. Mastrip 12')
    await page.getByLabel('RT (neighbourhood)').fill('3')
    await page.getByLabel('RW (community)').fill('5')
    await page.getByLabel('Postal code').fill('60222')
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByLabel('Mobile number').fill('0812 3456 7890')
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByRole('radio', { name: 'Looking for work' }).click()
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByRole('radio', { name: /^Senior or vocational high school/ }).click()
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Registration complete' })).toBeVisible()
    await expect(page.getByText(RECEIPT_NO)).toBeVisible()
    await expectNoSeriousViolations(page, 'receipt (en)')
    // The next applicant is greeted in the kiosk's own language again.
    await page.getByRole('button', { name: 'Done', exact: true }).click()
    await expect(welcomeHeading(page)).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'id')
  })
})

test.describe('a supervisor at the staff desk', () => {
  test.use({ signedInAs: 'supervisor' })

  test('switches the kiosk to self-service with a confirmation; after signing out applicants get the welcome screen', async ({ app, kiosk }) => {
    const { page } = app
    const card = page.getByRole('region', { name: 'Mode kiosk' })
    await expect(card).toContainText('Mode sekarang: Layanan dibantu petugas.')
    await card.getByRole('button', { name: 'Ubah ke Layanan mandiri' }).click()
    const confirm = page.getByRole('dialog', { name: 'Ubah mode kiosk?' })
    await expect(confirm).toContainText('Ctrl+Shift+S')
    // The safe choice has focus: a stray Enter changes nothing.
    await expect(confirm.getByRole('button', { name: 'Batal' })).toBeFocused()
    await expectNoSeriousViolations(page, 'mode confirmation')
    await confirm.getByRole('button', { name: 'Batal' }).click()
    await expect(confirm).toHaveCount(0)
    expect(await modeOf(kiosk)).toBe('assisted')

    await card.getByRole('button', { name: 'Ubah ke Layanan mandiri' }).click()
    await confirm.getByRole('button', { name: 'Ya, ubah mode' }).click()
    await expect(card.getByRole('status')).toHaveText('Mode kiosk sekarang: Layanan mandiri.')
    await expect(card).toContainText('Mode sekarang: Layanan mandiri.')
    expect(await modeOf(kiosk)).toBe('self-service')
    expect(kiosk.audit.list({ action: 'settings_change' }).map((row) => JSON.parse(row.details))).toContainEqual({ mode: 'self-service' })
    // The supervisor keeps the staff screens until signing out.
    await expect(sessionBar(page)).toContainText(STAFF.supervisor.name)

    await sessionBar(page).getByRole('button', { name: 'Keluar' }).click()
    await expect(welcomeHeading(page)).toBeVisible()

    // And back: in through the gesture, switch to the desk, sign out: the staff sign-in again.
    await page.keyboard.press('Control+Shift+KeyS')
    await page.getByLabel('ID petugas').fill(STAFF.supervisor.id)
    await page.getByLabel('PIN', { exact: true }).fill(STAFF.supervisor.pin)
    await page.getByRole('button', { name: 'Masuk', exact: true }).click()
    await card.getByRole('button', { name: 'Ubah ke Layanan dibantu petugas' }).click()
    await page.getByRole('dialog', { name: 'Ubah mode kiosk?' }).getByRole('button', { name: 'Ya, ubah mode' }).click()
    await expect(card).toContainText('Mode sekarang: Layanan dibantu petugas.')
    await sessionBar(page).getByRole('button', { name: 'Keluar' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Masuk petugas' })).toBeVisible()
  })
})

test.describe('an operator', () => {
  test.use({ signedInAs: 'operator' })

  test('has no kiosk mode control (supervisors only)', async ({ app }) => {
    const { page } = app
    await expect(sessionBar(page)).toContainText(STAFF.operator.name)
    await expect(page.getByRole('region', { name: 'Mode kiosk' })).toHaveCount(0)
  })
})

test.describe('self-service registrations held for review', () => {
  test.use({ config: { ...selfService, selfServiceReview: true }, signedInAs: null })

  test('appear under "Perlu diperiksa" for staff, open read-only, and "Setujui" sends them on', async ({ app, kiosk }) => {
    const { page } = app
    // Two applicants registered at the kiosk (as the self-service flow submits, nobody signed in).
    const first = await kiosk.call('registration.submit', { draft: makeDraft() })
    const second = await kiosk.call('registration.submit', { draft: makeDraft({ nik: '3578014201900004', fullName: 'Dewi Lestari' }) })
    if (!first.ok || !second.ok) throw new Error('submit refused')
    const firstNo = (first.value as { receiptNo: string }).receiptNo
    const secondNo = (second.value as { receiptNo: string }).receiptNo

    await kiosk.sessions.signIn(STAFF.operator.id, STAFF.operator.pin)
    await page.reload()
    await page.getByRole('button', { name: 'Periksa pendaftaran mandiri (2)' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Perlu diperiksa' })).toBeFocused()
    await expect(page.getByRole('heading', { name: '2 pendaftaran perlu diperiksa' })).toBeVisible()
    await expectNoSeriousViolations(page, 'review list')

    await page.getByRole('button', { name: `Periksa pendaftaran ${firstNo}` }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Pendaftaran ${firstNo}` })).toBeFocused()
    await expect(page.getByRole('main')).toContainText(MARKERS.name)
    await expect(page.getByRole('main')).toContainText('Menunggu unggah')
    expect(kiosk.audit.list({ action: 'view' }).some((row) => row.record_id === (first.value as { id: string }).id)).toBe(true)
    await page.getByRole('button', { name: `Setujui pendaftaran ${firstNo}` }).click()
    await expect(page.getByRole('status').filter({ hasText: `Pendaftaran ${firstNo} disetujui` })).toBeVisible()
    await expect(page.getByRole('heading', { name: '1 pendaftaran perlu diperiksa' })).toBeVisible()
    await expect(page.getByRole('row', { name: new RegExp(firstNo) })).toHaveCount(0)

    await page.getByRole('button', { name: `Setujui pendaftaran ${secondNo}` }).click()
    await expect(page.getByRole('heading', { name: 'Tidak ada pendaftaran yang perlu diperiksa.' })).toBeVisible()
    const status = await kiosk.call('queue.status')
    expect(status.ok && (status.value as { awaitingReview: number }).awaitingReview).toBe(0)
  })
})

test.describe('a self-service kiosk fresh from the box', () => {
  // No staff account at all: it can't be run (nor switched back to the desk) without a supervisor.
  const fresh = test.extend<{ kiosk: TestKiosk }>({
    kiosk: async ({ config }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-selfservice-'))
      const kiosk = createTestKiosk({ dataDir, config, version: '0.0.0-test', logger: createMemoryLogger(), resourcesDir: join(root, 'resources') })
      await use(kiosk)
      kiosk.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  })
  fresh.use({ config: selfService, signedInAs: null })

  fresh('asks for the first supervisor instead of showing the welcome screen', async ({ app }) => {
    const { page } = app
    await expect(page.getByRole('heading', { level: 1, name: 'Buat supervisor pertama' })).toBeVisible()
    await expect(welcomeHeading(page)).toHaveCount(0)
    await page.getByLabel('ID petugas').fill('spv-sby')
    await page.getByLabel('Nama lengkap').fill('Rina Wulandari')
    await page.getByLabel('PIN', { exact: true }).fill('483920')
    await page.getByLabel('Ulangi PIN').fill('483920')
    await page.getByRole('button', { name: 'Buat supervisor dan masuk' }).click()
    await expect(sessionBar(page)).toContainText('Rina Wulandari')
    await sessionBar(page).getByRole('button', { name: 'Keluar' }).click()
    await expect(welcomeHeading(page)).toBeVisible()
  })
})

test.describe('staff screens on a 10-inch portrait kiosk (800x1280)', () => {
  test.use({ viewport: { width: 800, height: 1280 }, config: { ...selfService, selfServiceReview: true } })

  test('home, registration, review, search and supervisor screens pass axe', async ({ app, kiosk }) => {
    const { page } = app
    await kiosk.call('registration.submit', { draft: makeDraft() })
    await page.reload()
    await expectNoSeriousViolations(page, 'home (portrait)')
    await page.getByRole('button', { name: 'Periksa pendaftaran mandiri (1)' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Perlu diperiksa' })).toBeVisible()
    await expectNoSeriousViolations(page, 'review list (portrait)')
    await page.getByRole('button', { name: /^Periksa pendaftaran / }).click()
    await expect(page.getByRole('main')).toContainText(MARKERS.name)
    await expectNoSeriousViolations(page, 'held record (portrait)')
    for (const [screen, heading] of [
      ['Pendaftaran baru', 'Pendaftaran baru'],
      ['Cari pendaftaran', 'Cari pendaftaran'],
      ['Perlu diperbaiki', 'Perlu diperbaiki'],
      ['Petugas', 'Petugas'],
      ['Log audit', 'Log audit'],
    ] as const) {
      await (await openMenu(page)).getByRole('button', { name: screen, exact: true }).click()
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
      await expectNoSeriousViolations(page, `${screen} (portrait)`)
    }
    // Nothing spills sideways on the narrow screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800)
  })
})
