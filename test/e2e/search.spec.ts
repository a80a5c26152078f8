import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, openMenu, test, testConfig } from './harness'
import { screenshot } from './screenshots'

/**
 * The search screen finds a registration by NIK, receipt number, name words or mobile number and opens it
 * read-only, with "Cetak ulang" for its receipt (audited). Records are made through the real services (the UI path
 * to them is covered by registration.spec.ts).
 */
const draft = {
  nik: '3578015505950002',
  fullName: 'Dewi Lestari',
  birthPlace: 'Surabaya',
  birthDate: '1995-05-15',
  sex: 'female',
  ktpAddress: {
    provinceCode: '35',
    regencyCode: '35.78',
    districtCode: '35.78.01',
    villageCode: '35.78.01.1003',
    street: 'Jl. Kedurus 7',
    rt: '1',
    rw: '2',
    postalCode: '60223',
  },
  domicile: null,
  phone: '+6281234567891',
  email: null,
  education: 'diploma',
  employment: 'laid_off',
  consent: { dataProcessing: true, truthfulness: true, textVersion: '2026-11-v1' },
  photos: { face: null, card: null },
} as const

async function openSearch(page: Page) {
  await page.getByRole('button', { name: 'Cari pendaftaran' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Cari pendaftaran' })).toBeFocused()
}

async function searchFor(page: Page, query: string) {
  await page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama').fill(query)
  await page.getByRole('button', { name: 'Cari', exact: true }).click()
}

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([])
}

test.describe('search screen', () => {
  test('finds a registration by NIK and by receipt number, and opens it read-only', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    const submitted = await kiosk.call('registration.submit', { draft })
    expect(submitted.ok).toBe(true)
    const receipt = submitted.ok ? (submitted.value as { receiptNo: string }) : { receiptNo: '' }
    const { page } = app

    // From the home screen's large button.
    await page.getByRole('button', { name: 'Cari pendaftaran' }).last().click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cari pendaftaran' })).toBeFocused()
    await expect((await openMenu(page)).getByRole('button', { name: 'Cari pendaftaran' })).toHaveAttribute(
      'aria-current',
      'page',
    )
    // The open menu covers the screen; Escape closes it.
    await page.keyboard.press('Escape')

    await searchFor(page, '3578-0155-0595-0002')
    const row = page.getByRole('row', { name: new RegExp(receipt.receiptNo) })
    await expect(row).toContainText('DEWI LESTARI')
    await expect(row).toContainText('Menunggu unggah')
    await expectNoSeriousViolations(page)

    // By name words (any case) and by mobile number as people write it: through the keyed index, nothing stored.
    await searchFor(page, 'lestari DEWI')
    await expect(page.getByRole('row', { name: new RegExp(receipt.receiptNo) })).toContainText('DEWI LESTARI')
    await searchFor(page, '0812-3456-7891')
    await expect(page.getByText('1 pendaftaran ditemukan')).toBeVisible()
    await expect(page.getByRole('row', { name: new RegExp(receipt.receiptNo) })).toBeVisible()

    await searchFor(page, ` ${receipt.receiptNo.toLowerCase()} `)
    await expect(page.getByText('1 pendaftaran ditemukan')).toBeVisible()
    await page.getByRole('button', { name: `Buka pendaftaran ${receipt.receiptNo}` }).click()

    await expect(page.getByRole('heading', { level: 1, name: `Pendaftaran ${receipt.receiptNo}` })).toBeFocused()
    await expect(page.getByRole('region', { name: 'Identitas' })).toContainText('15 Mei 1995')
    await expect(page.getByRole('region', { name: 'Alamat' })).toContainText('Kedurus, Karang Pilang')
    await expect(page.getByRole('region', { name: 'Pekerjaan dan pendidikan' })).toContainText('Korban PHK')
    // Read-only: nothing here edits the record.
    await expect(page.getByRole('button', { name: /^Ubah/ })).toHaveCount(0)
    await expectNoSeriousViolations(page)
    await screenshot(page, 'search-record-id', { fullPage: true })

    // "Cetak ulang": the receipt as it stands, with the name and the masked NIK; main audits the reprint.
    await page.getByRole('button', { name: 'Cetak ulang tanda terima' }).click()
    const reprint = page.getByRole('region', { name: `Tanda terima ${receipt.receiptNo}` })
    await expect(reprint.getByRole('heading', { level: 2, name: `Tanda terima ${receipt.receiptNo}` })).toBeFocused()
    await expect(reprint).toContainText('DEWI LESTARI')
    await expect(reprint).toContainText('3578 •••• •••• 0002')
    await expect(reprint).not.toContainText(draft.nik)
    await expect(reprint).toContainText('Program Pelatihan Kerja')
    await expect(reprint).toContainText('dikirim ke pusat program secara otomatis')
    await expect(reprint).not.toContainText('Menunggu unggah')
    expect(kiosk.audit.list({ action: 'reprint' })).toMatchObject([{ actor: 'sup-e2e', record_id: (submitted.ok ? (submitted.value as { id: string }) : { id: '' }).id }])
    await expectNoSeriousViolations(page)
    await reprint.getByRole('button', { name: 'Tutup tanda terima' }).click()
    await expect(reprint).toHaveCount(0)

    await page.getByRole('button', { name: 'Kembali ke hasil' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cari pendaftaran' })).toBeFocused()
    await expect(page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama')).toHaveValue(` ${receipt.receiptNo.toLowerCase()} `)
    await expect(page.getByRole('row', { name: new RegExp(receipt.receiptNo) })).toBeVisible()
  })

  test('says so when nothing matches, and explains a query that is too short at the field', async ({ app }) => {
    const { page } = app
    await openSearch(page)
    await searchFor(page, 'a')
    const field = page.getByLabel('NIK, nomor tanda terima, nomor HP atau nama')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByRole('alert').filter({ hasText: 'Masukkan minimal 2 karakter.' })).toBeVisible()
    await expect(field).toBeFocused()

    await searchFor(page, '3578015505950002')
    await expect(page.getByText('Tidak ada pendaftaran yang cocok.')).toBeVisible()
    // The empty result says what can be searched, prefix limits included.
    await expect(page.getByText(/^Yang bisa dicari: NIK \(16 angka\), nomor tanda terima .*nomor HP .*nama/)).toBeVisible()
    await searchFor(page, '12345')
    await expect(page.getByText('Itu bukan NIK, nomor tanda terima, nomor HP, atau nama.')).toBeVisible()
    await expect(field).not.toHaveAttribute('aria-invalid', 'true')
    await expectNoSeriousViolations(page)
  })

  test('works in English too', async ({ app, kiosk }) => {
    await kiosk.call('registration.submit', { draft })
    const { page } = app
    await page.getByRole('button', { name: 'English' }).click()
    await (await openMenu(page)).getByRole('button', { name: 'Find a registration' }).click()
    await page.getByLabel('NIK, receipt number, mobile number or name').fill(draft.nik)
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect(page.getByText('1 registration found')).toBeVisible()
    await expect(page.getByRole('row', { name: /DEWI LESTARI/ })).toContainText('Waiting to upload')
    await page.getByLabel('NIK, receipt number, mobile number or name').fill('nobody')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect(page.getByText(/^You can search by: NIK/)).toBeVisible()
    await expectNoSeriousViolations(page)
    await page.getByLabel('NIK, receipt number, mobile number or name').fill('+62 812 3456 7891')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await page.getByRole('button', { name: /^Open registration/ }).click()
    await page.getByRole('button', { name: 'Print the receipt again' }).click()
    await expect(page.getByRole('region', { name: /^Receipt / })).toContainText('What happens next')
    await expectNoSeriousViolations(page)
  })
})

test.describe('receipt on a thermal printer', () => {
  test.use({ config: { ...testConfig, receiptPaper: '80mm' } })

  test('prints on an 80 mm page with the name and masked NIK, one page; a PDF copy leaves them off', async ({ app, kiosk }) => {
    const submitted = await kiosk.call('registration.submit', { draft })
    const { id, receiptNo } = submitted.ok ? (submitted.value as { id: string; receiptNo: string }) : { id: '', receiptNo: '' }
    const { page } = app
    await openSearch(page)
    await searchFor(page, receiptNo)
    await page.getByRole('button', { name: `Buka pendaftaran ${receiptNo}` }).click()
    await page.getByRole('button', { name: 'Cetak ulang tanda terima' }).click()
    await expect(page.locator('[data-printable="receipt"]')).toHaveAttribute('data-paper', '80mm')
    expect(kiosk.audit.list({ action: 'reprint' })).toMatchObject([{ record_id: id }])

    await page.emulateMedia({ media: 'print' })
    const sheet = page.locator('[data-printable="receipt"]')
    await expect(sheet.locator('.receipt-name')).toBeVisible()
    await expect(sheet.locator('.receipt-nik')).toHaveText('3578 •••• •••• 0002')
    // Nothing but the receipt takes part in the printed layout.
    await expect(page.getByRole('button', { name: 'Cetak', exact: true })).toBeHidden()

    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1')
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])])
    // 80 × 200 mm in PostScript points, one page: no blank paper after the receipt.
    expect(boxes).toHaveLength(1)
    expect(boxes[0]![0]).toBeCloseTo((80 / 25.4) * 72, 0)
    expect(boxes[0]![1]).toBeCloseTo((200 / 25.4) * 72, 0)

    // The copy kept in the kiosk's receipts folder: no name, no NIK.
    await page.evaluate(() => (document.documentElement.dataset.printCopy = 'file'))
    await expect(sheet.locator('.receipt-name')).toBeHidden()
    await expect(sheet.locator('.receipt-nik')).toBeHidden()
    await expect(sheet.locator('.receipt-number')).toBeVisible()
  })
})
