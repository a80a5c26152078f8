import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test, openMenu } from './harness'
import { screenshot } from './screenshots'

/**
 * The search screen finds a registration by NIK or receipt number and opens it read-only. Records are made
 * through the real services (the UI path to them is covered by registration.spec.ts).
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
  await page.getByLabel('NIK atau nomor tanda terima').fill(query)
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

    await page.getByRole('button', { name: 'Kembali ke hasil' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Cari pendaftaran' })).toBeFocused()
    await expect(page.getByLabel('NIK atau nomor tanda terima')).toHaveValue(` ${receipt.receiptNo.toLowerCase()} `)
    await expect(page.getByRole('row', { name: new RegExp(receipt.receiptNo) })).toBeVisible()
  })

  test('says so when nothing matches, and explains a query that is too short at the field', async ({ app }) => {
    const { page } = app
    await openSearch(page)
    await searchFor(page, 'abc')
    const field = page.getByLabel('NIK atau nomor tanda terima')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByRole('alert').filter({ hasText: 'Masukkan minimal 4 karakter.' })).toBeVisible()
    await expect(field).toBeFocused()

    await searchFor(page, '3578015505950002')
    await expect(page.getByText('Tidak ada pendaftaran yang cocok.')).toBeVisible()
    await expect(field).not.toHaveAttribute('aria-invalid', 'true')
    await expectNoSeriousViolations(page)
  })

  test('works in English too', async ({ app, kiosk }) => {
    await kiosk.call('registration.submit', { draft })
    const { page } = app
    await page.getByRole('button', { name: 'English' }).click()
    await (await openMenu(page)).getByRole('button', { name: 'Find a registration' }).click()
    await page.getByLabel('NIK or receipt number').fill(draft.nik)
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect(page.getByText('1 registration found')).toBeVisible()
    await expect(page.getByRole('row', { name: /DEWI LESTARI/ })).toContainText('Waiting to upload')
  })
})
