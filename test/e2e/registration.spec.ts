import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test, openMenu } from './harness'
import { screenshot } from './screenshots'

/**
 * The assisted registration, driven the way staff use it: by labels, buttons and the keyboard, against the real
 * services. A valid NIK for a woman born 1 January 1990 in Karang Pilang, Kota Surabaya (35.78.01): the day of
 * birth carries +40 for women, so 01 → 41.
 */
const NIK = '3578014101900003'
const NIK_SPACED = '3578 0141 0190 0003'

const person = {
  fullName: 'Siti Rahayu',
  birthPlace: 'Surabaya',
  village: 'Kebraon',
  street: 'Jl. Mastrip 12',
  rt: '3',
  rw: '5',
  postalCode: '60222',
  phone: '0812 3456 7890',
  email: 'siti.rahayu@example.com',
  employment: 'Pencari kerja',
  education: 'SMA/SMK/sederajat',
}

/** Post code, day, sequence (main/services/registration/receipt.ts). */
const RECEIPT_NO = /^JT-3578-01-\d{6}-\d{4}$/

const next = (page: Page) => page.getByRole('button', { name: 'Lanjut' }).click()
const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

async function receiptNumber(page: Page): Promise<string> {
  const receipt = page.getByRole('main').getByText(RECEIPT_NO)
  await expect(receipt).toBeVisible()
  return (await receipt.textContent()) ?? ''
}

async function start(page: Page) {
  await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pendaftaran baru')
  // Focus is in the step's first field, not on its heading (issue 19).
  await expect(stepHeading(page, 'Persetujuan')).toBeVisible()
  await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toBeFocused()
}

async function consent(page: Page) {
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next(page)
  await expect(stepHeading(page, 'NIK')).toBeVisible()
}

async function nik(page: Page, value = NIK_SPACED) {
  await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(value)
  // Autofill from the NIK: birth date, sex and the region the KTP was issued in.
  await expect(page.getByLabel('Tanggal lahir')).toHaveValue('01/01/1990')
  await expect(page.getByRole('radio', { name: 'Perempuan' })).toBeChecked()
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
}

async function identity(page: Page) {
  await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName)
  await page.getByLabel('Tempat lahir').fill(person.birthPlace)
  await next(page)
  await expect(stepHeading(page, 'Alamat')).toBeVisible()
}

async function address(page: Page) {
  // Province, regency and district came from the NIK; only the village is left to pick.
  await expect(page.getByLabel('Provinsi')).toHaveValue('35')
  await expect(page.getByLabel('Kabupaten/kota')).toHaveValue('35.78')
  await page.getByLabel('Kelurahan/desa').selectOption({ label: person.village })
  await page.getByLabel('Jalan dan nomor rumah').fill(person.street)
  await page.getByLabel('RT', { exact: true }).fill(person.rt)
  await page.getByLabel('RW', { exact: true }).fill(person.rw)
  await page.getByLabel('Kode pos').fill(person.postalCode)
  await expect(page.getByLabel('Alamat domisili sama dengan alamat KTP')).toBeChecked()
  await next(page)
  await expect(stepHeading(page, 'Kontak')).toBeVisible()
}

async function contact(page: Page) {
  await page.getByLabel('Nomor HP').fill(person.phone)
  await page.getByLabel('Email').fill(person.email)
  await next(page)
  await expect(stepHeading(page, 'Pekerjaan dan pendidikan')).toBeVisible()
}

async function employment(page: Page) {
  await page.getByLabel('Status pekerjaan').selectOption({ label: person.employment })
  await page.getByLabel('Pendidikan terakhir').selectOption({ label: person.education })
  await next(page)
  await expect(stepHeading(page, 'Foto')).toBeVisible()
}

async function photoSkipped(page: Page) {
  await expect(page.getByText('Foto diambil pada langkah ini.')).toBeVisible()
  await next(page)
  await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
}

/** Everything from the Home screen up to the review, ready to send. */
async function fillUpToReview(page: Page) {
  await start(page)
  await consent(page)
  await nik(page)
  await next(page)
  await expect(stepHeading(page, 'Identitas')).toBeVisible()
  await identity(page)
  await address(page)
  await contact(page)
  await employment(page)
  await photoSkipped(page)
}

test.describe('assisted registration', () => {
  test('a registration typed through every step ends on a receipt with its number and QR code', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    const { page } = app
    await fillUpToReview(page)

    const stepper = page.getByRole('navigation', { name: 'Langkah pendaftaran' })
    await expect(stepper.locator('[aria-current="step"]')).toContainText('Periksa kembali')
    await expect(page.getByText('Langkah 8 dari 8')).toBeVisible()

    // The review reads back what the record will hold: the name in capitals, the phone in E.164, region names.
    const review = page.getByRole('region', { name: 'Identitas' })
    await expect(review).toContainText('SITI RAHAYU')
    await expect(review).toContainText('1 Januari 1990')
    await expect(page.getByRole('region', { name: 'NIK' })).toContainText(NIK_SPACED)
    await expect(page.getByRole('region', { name: 'Kontak' })).toContainText('0812-3456-7890')
    const addressGroup = page.getByRole('region', { name: 'Alamat' })
    await expect(addressGroup).toContainText('Kebraon, Karang Pilang')
    await expect(addressGroup).toContainText('Kota Surabaya, Jawa Timur 60222')
    await expect(addressGroup).toContainText('Sama dengan alamat KTP')
    await expect(page.getByRole('region', { name: 'Pekerjaan dan pendidikan' })).toContainText('Pencari kerja')
    await screenshot(page, 'registration-review-id', { fullPage: true })

    await page.getByRole('button', { name: 'Kirim' }).click()

    await expect(stepHeading(page, 'Tanda terima')).toBeFocused()
    // The receipt ends the registration: every step is done, none is current.
    await expect(stepper.locator('li.done')).toHaveCount(8)
    await expect(stepper.locator('[aria-current="step"]')).toHaveCount(0)
    const receiptNo = await receiptNumber(page)
    expect(receiptNo).toMatch(RECEIPT_NO)
    const qr = page.getByRole('img', { name: `Kode QR tanda terima ${receiptNo}` })
    await expect(qr).toBeVisible()
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    await expect(page.getByRole('main').getByText('Posko Kota Surabaya', { exact: true })).toBeVisible()
    // The programme, whose receipt it is (name, masked NIK) and what happens next, in plain words.
    const sheet = page.locator('[data-printable="receipt"]')
    await expect(sheet).toContainText('Program Pelatihan Kerja')
    await expect(sheet.locator('.receipt-name')).toHaveText('SITI RAHAYU')
    await expect(sheet.locator('.receipt-nik')).toHaveText(`${NIK.slice(0, 4)} •••• •••• ${NIK.slice(12)}`)
    await expect(sheet).toContainText('Langkah berikutnya')
    await expect(sheet).not.toContainText('Menunggu unggah')
    await expect(sheet).not.toContainText(NIK)
    await expect(page.getByRole('button', { name: 'Cetak' })).toBeVisible()
    await screenshot(page, 'receipt-id', { fullPage: true, unstable: [qr] }) // the QR holds the record's random id

    // Printed, the page is the receipt alone: no header, menu, stepper or buttons.
    await page.emulateMedia({ media: 'print' })
    await expect(page.getByText(receiptNo, { exact: true })).toBeVisible()
    await expect(qr).toBeVisible()
    await expect(page.getByRole('navigation', { name: 'Menu utama' })).toBeHidden()
    await expect(page.getByRole('navigation', { name: 'Langkah pendaftaran' })).toBeHidden()
    await expect(page.getByRole('button', { name: 'Cetak' })).toBeHidden()
    await expect(page.getByText('Pendaftaran Program Pelatihan Kerja')).toBeHidden()
    await page.emulateMedia({ media: 'screen' })

    // The kiosk holds exactly this record, normalised.
    const found = await kiosk.call('registration.find', { query: NIK })
    expect(found).toMatchObject({ ok: true, value: { results: [{ receiptNo, fullName: 'SITI RAHAYU', state: 'queued' }] } })

    // Found again through the Search screen, by NIK and by receipt number.
    await (await openMenu(page)).getByRole('button', { name: 'Cari pendaftaran' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cari pendaftaran' })).toBeFocused()
    const query = page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama')
    await query.fill(NIK_SPACED)
    await page.getByRole('button', { name: 'Cari', exact: true }).click()
    await expect(page.getByRole('row', { name: new RegExp(receiptNo) })).toContainText('SITI RAHAYU')
    await expect(page.getByRole('row', { name: new RegExp(receiptNo) })).toContainText('Menunggu unggah')

    await query.fill(receiptNo.toLowerCase())
    await page.getByRole('button', { name: 'Cari', exact: true }).click()
    await expect(page.getByText('1 pendaftaran ditemukan')).toBeVisible()
    await page.getByRole('button', { name: `Buka pendaftaran ${receiptNo}` }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Pendaftaran ${receiptNo}` })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Identitas' })).toContainText('SITI RAHAYU')
    await expect(page.getByRole('region', { name: 'Kontak' })).toContainText(person.email)
  })

  test('"Pendaftaran baru" on the receipt starts over with an empty form', async ({ app }) => {
    const { page } = app
    await fillUpToReview(page)
    await page.getByRole('button', { name: 'Kirim' }).click()
    await expect(stepHeading(page, 'Tanda terima')).toBeVisible()
    await page.getByRole('main').getByRole('button', { name: 'Pendaftaran baru' }).click()
    await expect(stepHeading(page, 'Persetujuan')).toBeVisible()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toBeFocused()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).not.toBeChecked()
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await next(page)
    await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toHaveValue('')
  })

  // A NIK registered already is stopped at the NIK step, with its actions: test/e2e/desk.spec.ts (issue 19.1).

  test('a bad NIK is refused at the field, in Indonesian, then in English', { tag: '@screenshot' }, async ({ app }) => {
    const { page } = app
    await start(page)
    await consent(page)
    const field = page.getByRole('textbox', { name: 'NIK', exact: true })
    await field.fill('3578 0141 0190')
    await field.press('Enter')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    const error = page.getByRole('alert').filter({ hasText: 'NIK harus 16 digit' })
    await expect(error).toBeVisible()
    // The message is tied to the field, so a screen reader reads it with the field.
    const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
    expect(describedBy.split(' ')).toContain(await error.getAttribute('id'))
    await expect(field).toBeFocused()
    await expect(stepHeading(page, 'NIK')).toBeVisible()

    await field.fill('3578014101900000')
    await next(page)
    await expect(page.getByRole('alert').filter({ hasText: 'Nomor urut NIK tidak boleh 0000' })).toBeVisible()
    await expect(field).toHaveAttribute('aria-invalid', 'true')

    await field.fill('3578013201900003')
    await next(page)
    await expect(page.getByRole('alert').filter({ hasText: 'Tanggal lahir pada NIK tidak mungkin' })).toBeVisible()
    await screenshot(page, 'registration-nik-error-id')

    await page.getByRole('group', { name: 'Bahasa' }).getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'The birth date in the NIK is impossible' })).toBeVisible()
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Bahasa Indonesia' }).click()
  })

  test('NIK warnings show without blocking: an unknown district and a birth date that differs; an unknown regency leaves the post\'s for the address', async ({ app }) => {
    const { page } = app
    await start(page)
    await consent(page)
    // 35.78.99 is not a district of Kota Surabaya: the NIK is still valid, the region just can't be named.
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill('3578994101900003')
    await expect(page.getByText('Kode kecamatan pada NIK tidak ada dalam data wilayah')).toBeVisible()
    await expect(page.getByLabel('Kabupaten/kota')).toHaveValue('35.78')
    await expect(page.getByLabel('Kecamatan')).toHaveValue('')
    await page.getByLabel('Tanggal lahir').fill('02/01/1990')
    await expect(page.getByText('Tanggal lahir berbeda dengan yang tertulis pada NIK')).toBeVisible()
    await next(page)
    await expect(stepHeading(page, 'Identitas')).toBeVisible()

    // Issue 19.4: a NIK whose regency the region data doesn't know names no regency for the address, so once
    // answered the address opens at the post's own (JT-3578-01: Kota Surabaya), focus on the kecamatan.
    await page.getByRole('button', { name: 'Kembali' }).click()
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill('3599014101900003')
    await expect(page.getByText('Kode kabupaten/kota 35.99 pada NIK tidak ada dalam data wilayah.')).toBeVisible()
    await expect(page.getByLabel('Kabupaten/kota')).toHaveValue('')
    await page.getByRole('button', { name: 'Ya, benar' }).click()
    await next(page)
    await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName)
    await page.getByLabel('Tempat lahir').fill(person.birthPlace)
    await next(page)
    await expect(stepHeading(page, 'Alamat')).toBeVisible()
    await expect(page.getByLabel('Provinsi')).toHaveValue('35')
    await expect(page.getByLabel('Kabupaten/kota')).toHaveValue('35.78')
    await expect(page.getByLabel('Kecamatan')).toBeFocused()
  })

  test('a likely email typo gets a "maksud Anda …?" question that one press accepts, or "Tidak, alamat ini benar" keeps', async ({ app }) => {
    const { page } = app
    await start(page)
    await consent(page)
    await nik(page)
    await next(page)
    await identity(page)
    await address(page)
    await page.getByLabel('Nomor HP').fill(person.phone)
    const email = page.getByLabel('Email')
    await email.fill('siti@gmial.com')
    await expect(page.getByText('Maksud Anda siti@gmail.com?')).toBeVisible()
    await page.getByRole('button', { name: 'Ya, pakai siti@gmail.com' }).click()
    await expect(email).toHaveValue('siti@gmail.com')
    // The button is gone; focus is back in the field, not lost.
    await expect(email).toBeFocused()
    await expect(page.getByText('Maksud Anda siti@gmail.com?')).toBeHidden()

    // Declining is a deliberate answer (issue 19): an unusual domain is still an address, but Enter alone won't do.
    await email.fill('siti@gmial.com')
    await expect(page.getByText('Maksud Anda siti@gmail.com?')).toBeVisible()
    await email.press('Enter')
    await expect(page.getByText('Jawab peringatan ini dulu')).toBeVisible()
    await expect(email).toBeFocused()
    await expect(stepHeading(page, 'Kontak')).toBeVisible()
    await page.getByRole('button', { name: 'Tidak, alamat ini benar' }).click()
    await expect(page.getByText('Sudah dikonfirmasi.')).toBeVisible()
    await next(page)
    await expect(stepHeading(page, 'Pekerjaan dan pendidikan')).toBeVisible()
  })

  test('Back keeps everything typed, and the review\'s "Ubah" returns to the review', async ({ app }) => {
    const { page } = app
    await start(page)
    await consent(page)
    await nik(page)
    await next(page)
    await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName)
    await page.getByLabel('Tempat lahir').fill(person.birthPlace)

    await page.getByRole('button', { name: 'Kembali' }).click()
    // Nothing empty on the NIK step: focus is in its first field.
    await expect(stepHeading(page, 'NIK')).toBeVisible()
    await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toBeFocused()
    await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toHaveValue(NIK_SPACED)
    await page.getByLabel('Tanggal lahir').fill('01/01/1990')
    await page.getByRole('button', { name: 'Kembali' }).click()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toBeChecked()
    await next(page)
    await next(page)
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toHaveValue(person.fullName)
    await expect(page.getByLabel('Tempat lahir')).toHaveValue(person.birthPlace)
    await next(page)
    await address(page)
    await contact(page)
    await page.getByRole('button', { name: 'Kembali' }).click()
    await expect(page.getByLabel('Nomor HP')).toHaveValue(person.phone)
    await expect(page.getByLabel('Email')).toHaveValue(person.email)
    await next(page)
    await employment(page)
    await photoSkipped(page)

    await page.getByRole('button', { name: 'Ubah Kontak' }).click()
    await expect(stepHeading(page, 'Kontak')).toBeVisible()
    await expect(page.getByLabel('Nomor HP')).toBeFocused()
    await page.getByLabel('Email').fill('')
    await page.getByRole('button', { name: 'Simpan, kembali ke ringkasan' }).click()
    await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
    await expect(page.getByRole('region', { name: 'Kontak' })).toContainText('—')
  })

  test('errors appear at each field and focus goes to the first one', async ({ app }) => {
    const { page } = app
    await start(page)
    await next(page)
    const first = page.getByLabel('Saya setuju data pribadi saya diproses')
    await expect(first).toBeFocused()
    await expect(first).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByRole('alert').filter({ hasText: 'Wajib dicentang untuk melanjutkan.' })).toHaveCount(2)
    await consent(page)
    await nik(page)
    await next(page)
    await next(page)
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toBeFocused()
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toHaveAttribute('aria-invalid', 'true')
    await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti 2')
    await next(page)
    await expect(page.getByRole('alert').filter({ hasText: 'Nama tidak boleh berisi angka.' })).toBeVisible()
    await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName)
    await page.getByLabel('Tempat lahir').fill(person.birthPlace)
    await next(page)
    await next(page)
    await expect(page.getByLabel('Kelurahan/desa')).toBeFocused()
    await expect(page.getByRole('alert').filter({ hasText: 'Pilih wilayah.' })).toBeVisible()
    await expect(page.getByLabel('Kode pos', { exact: true })).toHaveAccessibleDescription(/Wajib diisi\./)

    // A separate domicile brings its own required fields.
    await page.getByLabel('Alamat domisili sama dengan alamat KTP').uncheck()
    await expect(page.getByRole('group', { name: 'Alamat domisili (tempat tinggal sekarang)' })).toBeVisible()
    await page.getByLabel('Kelurahan/desa').first().selectOption({ label: person.village })
    await page.getByLabel('Jalan dan nomor rumah').first().fill(person.street)
    await page.getByLabel('RT', { exact: true }).first().fill(person.rt)
    await page.getByLabel('RW', { exact: true }).first().fill(person.rw)
    await page.getByLabel('Kode pos').first().fill(person.postalCode)
    await next(page)
    const domicile = page.getByRole('group', { name: 'Alamat domisili (tempat tinggal sekarang)' })
    await expect(domicile.getByLabel('Provinsi')).toBeFocused()
    await expect(domicile.getByLabel('Kabupaten/kota')).toBeDisabled()

    await page.getByLabel('Alamat domisili sama dengan alamat KTP').check()
    await next(page)
    await page.getByLabel('Nomor HP').fill('021 555 1234')
    await page.getByLabel('Email').fill('siti@')
    await next(page)
    await expect(page.getByLabel('Nomor HP')).toBeFocused()
    // A landline says so (issue 19.9).
    await expect(page.getByRole('alert').filter({ hasText: 'Itu nomor telepon rumah; isi nomor HP 08…' })).toBeVisible()
    await expect(page.getByRole('alert').filter({ hasText: 'Alamat email tidak valid.' })).toBeVisible()
  })

  test('the first steps can be done with the keyboard alone: focus starts in each step\'s first empty field', async ({ app }) => {
    const { page } = app
    await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).focus()
    await page.keyboard.press('Enter')
    await expect(stepHeading(page, 'Persetujuan')).toBeVisible()

    // Enter on the first box, before anything is ticked, says what is missing instead of moving on.
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toHaveAttribute('aria-invalid', 'true')
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    await page.keyboard.press('Enter')

    await expect(stepHeading(page, 'NIK')).toBeVisible()
    await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toBeFocused()
    await page.keyboard.type(NIK)
    await expect(page.getByLabel('Tanggal lahir')).toHaveValue('01/01/1990')
    await page.keyboard.press('Enter')

    await expect(stepHeading(page, 'Identitas')).toBeVisible()
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toBeFocused()
    await page.keyboard.type(person.fullName)
    await page.keyboard.press('Tab')
    await page.keyboard.type(person.birthPlace)
    await page.keyboard.press('Enter')

    await expect(stepHeading(page, 'Alamat')).toBeVisible()
    // Province to district came from the NIK: focus is on the village, the first field still empty. Enter on a
    // drop-down moves on (never opens it), and with the village missing that sends focus straight back to it.
    const village = page.getByLabel('Kelurahan/desa')
    await expect(village).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('alert').filter({ hasText: 'Pilih wilayah.' })).toBeVisible()
    await expect(village).toBeFocused()
    await page.keyboard.type(person.village)
    await expect(village).toHaveValue('35.78.01.1002')
    for (const value of [person.street, person.rt, person.rw, person.postalCode]) {
      await page.keyboard.press('Tab')
      await page.keyboard.type(value)
    }
    await page.keyboard.press('Enter')
    await expect(stepHeading(page, 'Kontak')).toBeVisible()
    await expect(page.getByLabel('Nomor HP')).toBeFocused()
    await page.keyboard.type(person.phone)
    await page.keyboard.press('Enter')

    // Nothing chosen: the first invalid field in screen order is work, which the step shows before schooling.
    await expect(stepHeading(page, 'Pekerjaan dan pendidikan')).toBeVisible()
    const employment = page.getByLabel('Status pekerjaan')
    await expect(employment).toBeFocused()
    await page.getByLabel('Pendidikan terakhir').focus()
    await page.keyboard.press('Enter')
    await expect(employment).toBeFocused()
    await expect(employment).toHaveAttribute('aria-invalid', 'true')
    await page.keyboard.type('p')
    await page.keyboard.press('Tab')
    await page.keyboard.type('sma')
    // Enter on the drop-down moves on.
    await page.keyboard.press('Enter')
    await expect(stepHeading(page, 'Foto')).toBeFocused()
  })

  test('every step has no serious or critical accessibility violations', { tag: '@screenshot' }, async ({ app }) => {
    // Eleven axe runs, two languages: ~40 s on a loaded 2-core machine, too close to the default minute.
    test.setTimeout(120_000)
    const { page } = app
    await start(page)
    await expectNoSeriousViolations(page, 'consent')
    await next(page)
    await expectNoSeriousViolations(page, 'consent with errors')
    await consent(page)
    await expectNoSeriousViolations(page, 'nik (empty)')
    await nik(page)
    await expectNoSeriousViolations(page, 'nik (autofilled)')
    await screenshot(page, 'registration-nik-id', { fullPage: true })
    await next(page)
    await expectNoSeriousViolations(page, 'identity')
    await next(page)
    await expectNoSeriousViolations(page, 'identity with errors')
    await identity(page)
    await expectNoSeriousViolations(page, 'address')
    await page.getByLabel('Alamat domisili sama dengan alamat KTP').uncheck()
    await expectNoSeriousViolations(page, 'address with domicile')
    await page.getByLabel('Alamat domisili sama dengan alamat KTP').check()
    await address(page)
    await expectNoSeriousViolations(page, 'contact')
    await contact(page)
    await expectNoSeriousViolations(page, 'employment')
    await employment(page)
    await expectNoSeriousViolations(page, 'photo')
    await photoSkipped(page)
    await expectNoSeriousViolations(page, 'review')
    await page.getByRole('button', { name: 'English' }).click()
    await expect(stepHeading(page, 'Review')).toBeVisible()
    await expectNoSeriousViolations(page, 'review (en)')
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click()
    await page.getByRole('button', { name: 'Kirim' }).click()
    await expect(stepHeading(page, 'Tanda terima')).toBeVisible()
    await expect(page.getByRole('img', { name: /Kode QR/ })).toBeVisible()
    await expectNoSeriousViolations(page, 'receipt')
  })

  test('works at 1366×768: no sideways scrolling, controls at least 48 px tall, text at least 16 px', async ({ app }) => {
    const { page } = app
    await start(page)
    await consent(page)
    await nik(page)
    const controls = [
      page.getByRole('textbox', { name: 'NIK', exact: true }),
      page.getByLabel('Tanggal lahir'),
      page.getByRole('radio', { name: 'Perempuan' }).locator('xpath=..'),
      page.getByLabel('Provinsi'),
      page.getByRole('button', { name: 'Kembali' }),
      page.getByRole('button', { name: 'Lanjut' }),
      page.getByRole('navigation', { name: 'Menu utama' }).getByRole('button', { name: 'Menu', exact: true }),
    ]
    for (const control of controls) {
      const box = await control.boundingBox()
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(48)
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1366)
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366)
    const smallest = await page.evaluate(() => {
      const texts = [...document.querySelectorAll('main *')].filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
      return Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize)))
    })
    expect(smallest).toBeGreaterThanOrEqual(16)
  })
})
