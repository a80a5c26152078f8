import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { KioskConfig } from '../../common/config'
import { expect, root, STAFF, test, testConfig } from './harness'

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
  await expect(question(page, 'Masukkan NIK Anda')).toBeFocused()
}

async function typeNik(page: Page) {
  const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
  await tapField(page, nik, 'numeric')
  await tap(page, NIK)
  await expect(nik).toHaveValue(NIK)
  // The same autofill as at the desk: birth date, sex and the region the KTP was issued in.
  await expect(page.getByLabel('Tanggal lahir')).toHaveValue('1990-01-01')
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
}

async function typeIdentity(page: Page) {
  await tapField(page, page.getByLabel('Nama lengkap sesuai KTP'), 'text')
  await tap(page, NAME)
  await tapField(page, page.getByLabel('Tempat lahir'), 'text')
  await tap(page, 'SURABAYA')
  await expect(page.getByLabel('Nama lengkap sesuai KTP')).toHaveValue(NAME)
}

function registrations(kiosk: { db: { prepare: (sql: string) => { all: () => unknown[] } } }) {
  return kiosk.db.prepare('SELECT self_service AS selfService, operator_id AS operatorId FROM registrations').all()
}

test.describe('self-service kiosk', () => {
  test.use({ config: selfService, signedInAs: null })

  test('a whole registration by touch, on the on-screen keyboard only, ends on the receipt and is stored as self-service', async ({ app, kiosk }) => {
    test.setTimeout(120_000)
    const { page } = app
    await expect(welcomeHeading(page)).toBeVisible()
    // An applicant sees no menu, no session bar, nothing of the staff's.
    await expect(page.getByRole('navigation', { name: 'Menu utama' })).toHaveCount(0)
    await expect(sessionBar(page)).toHaveCount(0)
    await expect(page.getByText('Data pribadi Anda (NIK, nama, tanggal lahir')).toBeVisible()
    await expectNoSeriousViolations(page, 'welcome')
    await page.screenshot({ path: join(root, 'docs', 'screenshots', 'selfservice-welcome-id.png') })

    // "Mulai" without the two ticks explains itself at the boxes.
    await page.getByRole('button', { name: 'Mulai', exact: true }).click()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toHaveAttribute('aria-invalid', 'true')
    await consentAndStart(page)
    await expect(page.getByText('Langkah 1 dari 9')).toBeVisible()

    await typeNik(page)
    await expectNoSeriousViolations(page, 'NIK with the keyboard open')
    await page.screenshot({ path: join(root, 'docs', 'screenshots', 'selfservice-keyboard-id.png') })
    // Enter on the keyboard goes on, like "Lanjut".
    await key(page, 'Enter').click()
    await expect(question(page, 'Data diri sesuai KTP')).toBeFocused()
    await expect(keyboard(page)).toHaveCount(0)
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

    await expect(question(page, 'Jalan, RT/RW dan kode pos')).toBeFocused()
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

    await expect(question(page, 'Nomor HP dan email')).toBeFocused()
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
    await expect(page.getByRole('main')).toContainText('+6281234567890')
    await page.getByRole('button', { name: 'Kirim', exact: true }).click()

    await expect(page.getByRole('heading', { level: 1, name: 'Pendaftaran selesai' })).toBeFocused()
    const receiptNo = page.getByText(RECEIPT_NO)
    await expect(receiptNo).toBeVisible()
    await expect(page.getByRole('img', { name: /^Kode QR tanda terima JT-3578-01-/ })).toBeVisible()
    await expectNoSeriousViolations(page, 'receipt')
    // Only the receipt: nothing the applicant typed stays on screen.
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(NIK)

    expect(registrations(kiosk)).toEqual([{ selfService: 1, operatorId: null }])
    const stored = kiosk.db.prepare('SELECT receipt_no AS receiptNo FROM registrations').get() as { receiptNo: string }
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
    await expect(question(page, 'Data diri sesuai KTP')).toBeFocused()
  })

  test('left alone, it asks "Masih di sini?", then forgets the draft everywhere and shows the welcome screen', async ({ app, kiosk }) => {
    const { page } = app
    await page.clock.install()
    await page.reload()
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
    await expectNoSeriousViolations(page, 'idle warning')
    await page.screenshot({ path: join(root, 'docs', 'screenshots', 'selfservice-idle-id.png') })

    await page.clock.fastForward('00:30')
    await expect(welcomeHeading(page)).toBeVisible()
    await expect(idleDialog(page)).toHaveCount(0)
    const html = await page.evaluate(() => document.documentElement.outerHTML)
    for (const typed of [NIK, NAME, 'SURABAYA']) expect(html).not.toContain(typed)
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 })
    expect(await page.evaluate(async () => (await indexedDB.databases()).length)).toBe(0)
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
  })
})
