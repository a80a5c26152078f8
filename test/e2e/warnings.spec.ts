import type { Page } from '@playwright/test'
import { expect, fillAddress, test } from './harness'

/**
 * Issue 19, point 5: warnings that Enter can't skip. An age outside the programme's range (the age and the range
 * said), a NIK regency nobody knows, a likely email typo: each holds its step until "Ya, benar" or a fix, and
 * the answers go with the record (shown on the review and in the record view).
 * An 11-year-old girl born 12 June 2015 in Karang Pilang, Kota Surabaya: day 12 + 40 = 52.
 */
const CHILD_NIK = '3578015206150003'
/** The same digits with regency 35.99, which the region data doesn't have. */
const UNKNOWN_REGENCY_NIK = '3599015206150003'

const next = (page: Page) => page.getByRole('button', { name: 'Lanjut', exact: true }).click()
const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })
const answerFirst = (page: Page) => page.getByText('Jawab peringatan ini dulu')

test('age, unknown regency and email typo each hold the step until answered or fixed; the answers are kept', async ({ app, kiosk }) => {
  const { page } = app
  const age = new Date().getFullYear() - 2015 - (new Date() < new Date(new Date().getFullYear(), 5, 12) ? 1 : 0)
  await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next(page)

  // A regency the region data doesn't know: Enter stays on the NIK, at the NIK; correcting the NIK answers it.
  const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
  await nik.fill(UNKNOWN_REGENCY_NIK)
  await expect(page.getByText('Kode kabupaten/kota 35.99 pada NIK tidak ada dalam data wilayah.')).toBeVisible()
  await nik.press('Enter')
  await expect(answerFirst(page)).toBeVisible()
  await expect(nik).toBeFocused()
  await nik.press('Enter')
  await expect(stepHeading(page, 'NIK')).toBeVisible()
  await nik.fill(CHILD_NIK)
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
  await expect(page.getByText('Kode kabupaten/kota 35.99')).toBeHidden()
  // The age is asked where the birth date shows; the NIK step itself may go on.
  await expect(page.getByText(`Usia ${age} tahun, di luar batas usia program (18–64 tahun). Benar?`)).toBeVisible()
  await nik.press('Enter')
  await expect(stepHeading(page, 'Identitas')).toBeVisible()

  await page.getByLabel('Nama lengkap sesuai KTP').fill('Putri Lestari')
  const place = page.getByLabel('Tempat lahir')
  await place.fill('Surabaya')
  await place.press('Enter')
  // Held at the birth date, twice: a second Enter is no answer.
  await expect(answerFirst(page)).toBeVisible()
  await expect(page.getByLabel('Tanggal lahir')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(stepHeading(page, 'Identitas')).toBeVisible()
  await page.getByRole('button', { name: 'Ya, benar' }).click()
  await expect(page.getByText('Sudah dikonfirmasi.')).toBeVisible()
  await expect(answerFirst(page)).toBeHidden()
  await next(page)

  await expect(stepHeading(page, 'Alamat')).toBeVisible()
  await fillAddress(page)
  await next(page)

  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  const email = page.getByLabel('Email')
  await email.fill('putri@gmial.com')
  await email.press('Enter')
  await expect(answerFirst(page)).toBeVisible()
  await expect(email).toBeFocused()
  await page.getByRole('button', { name: 'Tidak, alamat ini benar' }).click()
  await next(page)

  await page.getByLabel('Status pekerjaan').selectOption({ label: 'Pelajar atau mahasiswa' })
  await page.getByLabel('Pendidikan terakhir').selectOption({ label: 'SD/sederajat' })
  await next(page)
  await next(page)

  // The review says what was confirmed; so does the stored record.
  await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
  const confirmed = page.getByRole('region', { name: 'Peringatan yang dikonfirmasi' })
  await expect(confirmed).toContainText('Usia di luar batas program')
  await expect(confirmed).toContainText('Email yang mungkin salah ketik')
  await page.getByRole('button', { name: 'Kirim' }).click()
  await expect(stepHeading(page, 'Tanda terima')).toBeVisible()
  const found = await kiosk.call('registration.find', { query: CHILD_NIK })
  const id = found.ok ? (found.value as { results: { id: string }[] }).results[0]?.id : undefined
  const view = await kiosk.call('registration.get', { id })
  expect(view.ok && (view.value as { record: { acknowledgements: unknown } }).record.acknowledgements).toEqual([
    { warning: 'age_out_of_range' },
    { warning: 'email_typo' },
  ])
})
