import type { Page } from '@playwright/test'
import { expect, fillAddress, test, testConfig } from './harness'

/**
 * Issue 19, point 6: dates read the same whatever the browser's locale. Under an en-US Chromium a native date
 * input showed 08/17/1998 (and 06/12/1995 for 12 June); the kiosk's own day/month/year field and formatters don't
 * ask the browser. NIK and phone are grouped for reading aloud, and stored as before.
 * A woman born 17 August 1998 in Karang Pilang, Kota Surabaya: day 17 + 40 = 57.
 */
test.use({ locale: 'en-US' })

const NIK = '3578015708980003'
const next = (page: Page) => page.getByRole('button', { name: 'Lanjut', exact: true }).click()
const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })

test('under an en-US browser, dates are day/month/year as typed and "12 Juni 1995" as read; NIK and phone grouped', async ({ app, kiosk }) => {
  const { page } = app
  expect(await page.evaluate(() => navigator.language)).toBe('en-US')
  await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next(page)
  await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(NIK)
  const birthDate = page.getByLabel('Tanggal lahir')
  await expect(birthDate).toHaveValue('17/08/1998')
  await next(page)

  // Typed as digits only, the slashes come by themselves: 12 June, never 6 December.
  await expect(stepHeading(page, 'Identitas')).toBeVisible()
  await expect(birthDate).toHaveValue('17/08/1998')
  await birthDate.fill('')
  await birthDate.pressSequentially('12061995')
  await expect(birthDate).toHaveValue('12/06/1995')
  await page.getByLabel('Nama lengkap sesuai KTP').fill('Rina Wulandari')
  await page.getByLabel('Tempat lahir').fill('Surabaya')
  await next(page)
  await fillAddress(page)
  await next(page)
  await page.getByLabel('Nomor HP').fill('081330124455')
  await next(page)
  await page.getByLabel('Status pekerjaan').selectOption({ label: 'Pencari kerja' })
  await page.getByLabel('Pendidikan terakhir').selectOption({ label: 'SMA/SMK/sederajat' })
  await next(page)
  await next(page)

  await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
  await expect(page.getByRole('region', { name: 'Identitas' })).toContainText('12 Juni 1995')
  await expect(page.getByRole('region', { name: 'NIK' })).toContainText('3578 0157 0898 0003')
  await expect(page.getByRole('region', { name: 'Kontak' })).toContainText('0813-3012-4455')
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('region', { name: 'Identity' })).toContainText('12 June 1995')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Receipt', exact: true })).toBeVisible()
  // Day first in English too, and never the browser's month/day.
  await expect(page.getByRole('main')).not.toContainText(/\b\d{1,2}\/\d{1,2}\/\d{4}\b/)
  await expect(page.getByRole('main')).toContainText(/\d{1,2} [A-Z][a-z]+ \d{4}/)

  // Stored as before: the 16 digits and E.164.
  const found = await kiosk.call('registration.find', { query: NIK })
  const id = found.ok ? (found.value as { results: { id: string }[] }).results[0]?.id : undefined
  const view = await kiosk.call('registration.get', { id })
  expect(view.ok && (view.value as { record: { nik: string; phone: string; birthDate: string } }).record).toMatchObject({
    nik: NIK,
    phone: '+6281330124455',
    birthDate: '1995-06-12',
  })
})

test.describe('self-service', () => {
  test.use({ config: { ...testConfig, mode: 'self-service' }, signedInAs: null })

  test('under an en-US browser the applicant sees 12/06/1995 for 12 June', async ({ app }) => {
    const { page } = app
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await page.getByRole('button', { name: 'Mulai', exact: true }).click()
    // The on-screen keyboard types it; the physical one is quicker here and types the same characters.
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill('3578015206950003')
    await expect(page.getByLabel('Tanggal lahir')).toHaveValue('12/06/1995')
  })
})
