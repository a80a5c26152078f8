import type { Page } from '@playwright/test'
import { expectAboveTheFold } from './fold'
import { expect, fillAddress, fillStreet, test, testConfig } from './harness'
import { screenshot } from './screenshots'

/**
 * Issue 19, point 3: one screen per step at 1366×768 (the config's viewport). Each step of the assisted
 * registration, filled as staff fill it, has its inputs and its primary action on screen without scrolling.
 * The self-service kiosk's pages are checked in selfservice-layout.spec.ts.
 */
const NIK = '3578014101900003'
const next = (page: Page) => page.getByRole('button', { name: 'Lanjut', exact: true }).click()
const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })

test('every assisted step fits 1366×768: inputs and "Lanjut"/"Kirim" without scrolling', async ({ app }) => {
  const { page } = app
  expect(page.viewportSize()).toEqual({ width: 1366, height: 768 })
  // The header is one row; the menu opens over the screen, not under the header.
  const header = await page.locator('.frame-header').boundingBox()
  expect(header?.height).toBeLessThanOrEqual(72)

  await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
  await expect(stepHeading(page, 'Persetujuan')).toBeVisible()
  await screenshot(page, 'fold-consent')
  await expectAboveTheFold(page, 'consent', 'Lanjut')
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next(page)

  await expect(stepHeading(page, 'NIK')).toBeVisible()
  await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(NIK)
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
  await screenshot(page, 'fold-nik')
  await expectAboveTheFold(page, 'NIK with its autofill', 'Lanjut')
  await next(page)

  await expect(stepHeading(page, 'Identitas')).toBeVisible()
  await screenshot(page, 'fold-identity')
  await expectAboveTheFold(page, 'identity', 'Lanjut')
  // With every error showing, the step still fits.
  await next(page)
  await expect(page.getByText('Ada isian yang perlu diperbaiki.')).toBeVisible()
  await expectAboveTheFold(page, 'identity with errors', 'Lanjut')
  await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti Rahayu')
  await page.getByLabel('Tempat lahir').fill('Surabaya')
  await next(page)

  await expect(stepHeading(page, 'Alamat')).toBeVisible()
  await screenshot(page, 'fold-address')
  await expectAboveTheFold(page, 'address', 'Lanjut')
  await fillAddress(page)
  // A domicile elsewhere doubles the address: the second block may scroll, but not the action bar.
  await next(page)

  await expect(stepHeading(page, 'Kontak')).toBeVisible()
  await expectAboveTheFold(page, 'contact', 'Lanjut')
  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  await next(page)

  await expect(stepHeading(page, 'Pekerjaan dan pendidikan')).toBeVisible()
  await expectAboveTheFold(page, 'employment', 'Lanjut')
  await page.getByLabel('Status pekerjaan').selectOption({ label: 'Pencari kerja' })
  await page.getByLabel('Pendidikan terakhir').selectOption({ label: 'SMA/SMK/sederajat' })
  await next(page)

  await expect(stepHeading(page, 'Foto')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Ambil foto' })).toBeEnabled()
  await screenshot(page, 'fold-photo')
  await expectAboveTheFold(page, 'photo: preview, shutter and countdown', 'Lanjut')
  await next(page)

  await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
  await screenshot(page, 'fold-review')
  await expectAboveTheFold(page, 'review', 'Kirim')
})

/**
 * A text page opens with its field focused and the on-screen keyboard up; the content then scrolls above the keys
 * by design (the field typed into is kept in sight). The page itself is checked with the keys put away.
 */
async function keysDown(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await expect(page.getByRole('group', { name: 'Papan ketik' })).toHaveCount(0)
}

test.describe('self-service', () => {
  test.use({ config: { ...testConfig, mode: 'self-service' }, signedInAs: null })

  test('every self-service page fits 1366×768: inputs and the primary action without scrolling', async ({ app }) => {
    const { page } = app
    const question = (name: string) => page.getByRole('heading', { level: 2, name, exact: true })
    await expect(page.getByRole('heading', { level: 1, name: 'Selamat datang' })).toBeVisible()
    await screenshot(page, 'fold-ss-welcome')
    await expectAboveTheFold(page, 'welcome', 'Mulai')
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await page.getByRole('button', { name: 'Mulai', exact: true }).click()

    await expect(question('Masukkan NIK Anda')).toBeVisible()
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(NIK)
    await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
    await keysDown(page)
    await screenshot(page, 'fold-ss-nik')
    await expectAboveTheFold(page, 'self-service NIK', 'Lanjut')
    await next(page)

    await expect(question('Data diri sesuai KTP')).toBeVisible()
    await screenshot(page, 'fold-ss-identity')
    await keysDown(page)
    await expectAboveTheFold(page, 'self-service identity', 'Lanjut')
    await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti Rahayu')
    await page.getByLabel('Tempat lahir').fill('Surabaya')
    await next(page)

    await expect(page.getByLabel('Kelurahan/desa')).toBeVisible()
    await screenshot(page, 'fold-ss-region')
    await expectAboveTheFold(page, 'self-service region', 'Lanjut')
    await page.getByLabel('Kelurahan/desa').selectOption({ label: 'Kebraon' })
    await next(page)

    await expect(page.getByLabel('Jalan dan nomor rumah')).toBeVisible()
    await screenshot(page, 'fold-ss-street')
    await keysDown(page)
    await expectAboveTheFold(page, 'self-service street', 'Lanjut')
    await fillStreet(page)
    await next(page)

    await expect(page.getByLabel('Nomor HP')).toBeVisible()
    await keysDown(page)
    await expectAboveTheFold(page, 'self-service contact', 'Lanjut')
    await page.getByLabel('Nomor HP').fill('081234567890')
    await next(page)

    await expect(page.getByRole('radio', { name: 'Pencari kerja' })).toBeVisible()
    await screenshot(page, 'fold-ss-employment')
    await expectAboveTheFold(page, 'self-service employment', 'Lanjut')
    await page.getByRole('radio', { name: 'Pencari kerja' }).check()
    await next(page)

    await expect(page.getByRole('radio', { name: 'SMA/SMK/sederajat' })).toBeVisible()
    await screenshot(page, 'fold-ss-education')
    await expectAboveTheFold(page, 'self-service education', 'Lanjut')
    await page.getByRole('radio', { name: 'SMA/SMK/sederajat' }).check()
    await next(page)

    await expect(page.getByRole('button', { name: 'Ambil foto' })).toBeEnabled()
    await screenshot(page, 'fold-ss-photo')
    await expectAboveTheFold(page, 'self-service photo', 'Lanjut')
  })
})
