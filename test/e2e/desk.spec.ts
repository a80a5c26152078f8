import AxeBuilder from '@axe-core/playwright'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { ParkedDraft } from '../../common/drafts'
import type { PhotoVerdict } from '../../common/photos'
import type { Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { makeDraft, MARKERS, SITI_NIK } from '../fixtures/drafts'
import { expect, openMenu, root, STAFF, test, testConfig } from './harness'

/**
 * Issue 19.1–2 at the desk, driven as staff do: the duplicate found at the NIK's 16th digit with its actions (open,
 * reprint, start over); the question before Beranda or a menu item leaves a started registration; a parked draft
 * listed on Home and resumed with its data and photos; and the self-service applicant's draft coming along when staff
 * take over with the hidden gesture. The kiosk is the real one; records are seeded through its own channels.
 */
const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })
const next = (page: Page) => page.getByRole('button', { name: 'Lanjut', exact: true }).click()
const leaveDialog = (page: Page) => page.getByRole('dialog', { name: 'Tinggalkan pendaftaran ini?' })

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

async function startAndConsent(page: Page) {
  await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next(page)
  await expect(stepHeading(page, 'NIK')).toBeVisible()
}

test.describe('the NIK step finds a registered NIK (issue 19.1)', () => {
  test('at the 16th digit: whose receipt, when, its state; open, reprint and start over work, and it cannot go on', async ({ app, kiosk }) => {
    const { page } = app
    const first = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    await startAndConsent(page)
    const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
    await nik.pressSequentially(SITI_NIK.slice(0, 15))
    await expect(page.getByRole('alert')).toHaveCount(0)
    await nik.press(SITI_NIK.at(-1)!)
    const notice = page.getByRole('alert').filter({ hasText: 'NIK ini sudah terdaftar di perangkat ini' })
    await expect(notice).toContainText(`Atas nama ${MARKERS.name}, tanda terima ${first.receiptNo}.`)
    await expect(notice).toContainText('Status: Menunggu unggah')
    await expectNoSeriousViolations(page, 'duplicate notice (id)')
    await page.getByRole('group', { name: 'Bahasa' }).getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('alert')).toContainText('This NIK is already registered on this kiosk')
    await expectNoSeriousViolations(page, 'duplicate notice (en)')
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Bahasa Indonesia' }).click()

    // It cannot go on to be sent: "Lanjut" stops at the NIK with the reason.
    await next(page)
    await expect(stepHeading(page, 'NIK')).toBeVisible()
    await expect(page.getByText('NIK ini sudah terdaftar.', { exact: true })).toBeVisible()

    // Open the record: the registration waits underneath, unchanged.
    await notice.getByRole('button', { name: 'Buka data' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText(first.receiptNo)
    await expect(page.getByText(MARKERS.name).first()).toBeVisible()
    await page.getByRole('button', { name: 'Kembali ke pendaftaran' }).click()
    await expect(nik).toHaveValue(SITI_NIK)

    // Reprint its receipt.
    await page.getByRole('alert').getByRole('button', { name: 'Cetak ulang tanda terima' }).click()
    await expect(page.getByRole('heading', { level: 1, name: `Cetak ulang tanda terima ${first.receiptNo}` })).toBeVisible()
    await expect(page.locator('[data-printable="receipt"]')).toContainText(first.receiptNo)
    expect(kiosk.audit.list({ action: 'reprint' })).toHaveLength(1)
    await page.getByRole('button', { name: 'Kembali ke pendaftaran' }).click()

    // Start over: an empty registration, and no question about leaving (that was the staff's choice).
    await page.getByRole('alert').getByRole('button', { name: 'Mulai dari awal' }).click()
    await expect(stepHeading(page, 'Persetujuan')).toBeVisible()
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).not.toBeChecked()
    await expect(leaveDialog(page)).toHaveCount(0)
    expect(kiosk.store.count('registrations')).toBe(1)
    expect(kiosk.audit.list({ action: 'nik_check' })).toHaveLength(1)
  })
})

test.describe('leaving a started registration (issue 19.2)', () => {
  test('Beranda and a menu item ask first; "Tetap di sini" and Esc keep it, "Parkir" lists it on Home, "Lanjutkan" goes on with it', async ({ app, kiosk }) => {
    const { page } = app
    // An untouched registration leaves without a question.
    await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
    await (await openMenu(page)).getByRole('button', { name: 'Beranda' }).click()
    await expect(leaveDialog(page)).toHaveCount(0)

    await startAndConsent(page)
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(SITI_NIK)
    await next(page)
    await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti Rahayu')
    await page.getByLabel('Tempat lahir').fill('Surabaya')
    await next(page)
    await expect(stepHeading(page, 'Alamat')).toBeVisible()

    await (await openMenu(page)).getByRole('button', { name: 'Cari pendaftaran' }).click()
    await expect(leaveDialog(page)).toBeVisible()
    await expect(leaveDialog(page).getByRole('button', { name: 'Tetap di sini' })).toBeFocused()
    await expectNoSeriousViolations(page, 'leave dialog')
    await page.keyboard.press('Escape')
    await expect(leaveDialog(page)).toHaveCount(0)
    await expect(stepHeading(page, 'Alamat')).toBeVisible()

    await (await openMenu(page)).getByRole('button', { name: 'Beranda' }).click()
    await leaveDialog(page).getByRole('button', { name: 'Parkir' }).click()
    const parked = page.getByRole('region', { name: 'Draf yang diparkir' })
    await expect(parked.getByRole('status')).toHaveText('Draf 1 diparkir. Lanjutkan dari Beranda saat peserta kembali.')
    await expect(parked.getByRole('listitem')).toHaveText(/^Draf 1 · diparkir \d{2}[.:]\d{2} · langkah Alamat/)
    await expect(parked).not.toContainText('Siti')
    await expectNoSeriousViolations(page, 'home with a parked draft')
    expect(kiosk.audit.list({ action: 'draft_park' })).toHaveLength(1)

    await parked.getByRole('button', { name: 'Lanjutkan draf 1' }).click()
    await expect(stepHeading(page, 'Alamat')).toBeVisible()
    await page.getByRole('button', { name: 'Kembali' }).click()
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toHaveValue('Siti Rahayu')
    expect(value<{ drafts: ParkedDraft[] }>(await kiosk.call('drafts.list')).drafts).toEqual([])

    // "Buang" leaves and forgets it.
    await (await openMenu(page)).getByRole('button', { name: 'Beranda' }).click()
    await leaveDialog(page).getByRole('button', { name: 'Buang' }).click()
    await expect(page.getByRole('region', { name: 'Draf yang diparkir' })).toHaveCount(0)
    expect(value<{ drafts: ParkedDraft[] }>(await kiosk.call('drafts.list')).drafts).toEqual([])

    // "Keluar" on a started registration asks too: staying keeps the session and the draft; parking keeps the draft.
    await startAndConsent(page)
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(SITI_NIK)
    const signOut = page.getByRole('button', { name: 'Keluar', exact: true })
    await signOut.click()
    await expect(leaveDialog(page)).toBeVisible()
    await leaveDialog(page).getByRole('button', { name: 'Tetap di sini' }).click()
    await expect(page.getByRole('textbox', { name: 'NIK', exact: true })).toHaveValue(/3578/)
    expect(kiosk.sessions.current()).not.toBeNull()
    await signOut.click()
    await leaveDialog(page).getByRole('button', { name: 'Parkir' }).click()
    await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible()
    expect(kiosk.sessions.current()).toBeNull()
    await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
    expect(value<{ drafts: ParkedDraft[] }>(await kiosk.call('drafts.list')).drafts).toHaveLength(1)

    // The supervisor's audit log says it in words.
    await (await openMenu(page)).getByRole('button', { name: 'Log audit' }).click()
    const rows = page.getByRole('table').getByRole('row')
    await expect(rows.filter({ hasText: 'Draf diparkir pada langkah Alamat, 0 foto' })).toHaveCount(1)
    await expect(rows.filter({ hasText: 'Draf 1 dilanjutkan' })).toHaveCount(1)
  })

  test('a parked draft with both photos is resumed at its step and sent: the record claims those photos', async ({ app, kiosk }) => {
    const { page } = app
    const photo = async (kind: 'face' | 'card', file: string) =>
      value<PhotoVerdict>(await kiosk.call('photo.process', { kind, jpegBase64: readFileSync(join(root, 'test/fixtures/photos', file)).toString('base64') })).sha256!
    const face = await photo('face', 'good-face.jpg')
    const card = await photo('card', 'card-ktp.jpg')
    const draft = makeDraft()
    const form = {
      ...draft,
      email: draft.email ?? '',
      domicileSame: true,
      domicile: { provinceCode: '', regencyCode: '', districtCode: '', villageCode: '', street: '', rt: '', rw: '', postalCode: '' },
      consent: { dataProcessing: true, truthfulness: true },
      photos: { face: { sha256: face }, card: { sha256: card, overrideReason: 'kartu terlalu kecil di bingkai' } },
    }
    value(await kiosk.call('drafts.park', { form, step: 'photo', photos: [face, card] }))
    await page.reload()
    await page.getByRole('region', { name: 'Draf yang diparkir' }).getByRole('button', { name: 'Lanjutkan draf 1' }).click()
    await expect(stepHeading(page, 'Foto')).toBeVisible()
    await next(page)
    await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
    await page.getByRole('button', { name: 'Kirim' }).click()
    await expect(page.getByText('Pendaftaran tersimpan')).toBeVisible()
    const [record] = kiosk.store.records()
    expect(kiosk.store.photos().filter((p) => p.recordId === record!.id).map((p) => p.sha256).sort()).toEqual([face, card].sort())
  })
})

test.describe('at a self-service kiosk (issue 19.1–2)', () => {
  test.use({ config: { ...testConfig, mode: 'self-service' }, signedInAs: null })

  test('an applicant typing a registered NIK gets a plain message and the way out, never the other person\'s data', async ({ app, kiosk }) => {
    const { page } = app
    const first = value<Receipt>(await kiosk.call('registration.submit', { draft: makeDraft() }))
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await page.getByRole('button', { name: 'Mulai', exact: true }).click()
    await page.getByRole('textbox', { name: 'NIK', exact: true }).click()
    await page.keyboard.type(SITI_NIK)
    const notice = page.getByRole('alert').filter({ hasText: 'NIK ini sudah pernah didaftarkan' })
    await expect(notice).toContainText('silakan panggil petugas')
    const html = await page.evaluate(() => document.documentElement.outerHTML)
    expect(html).not.toContain(first.receiptNo)
    expect(html).not.toContain(MARKERS.name)
    await expectNoSeriousViolations(page, 'self-service duplicate notice')
    await notice.getByRole('button', { name: 'Selesai' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Selamat datang' })).toBeVisible()
  })

  test('the hidden gesture brings the applicant\'s draft into the staff registration instead of wiping it', async ({ app }) => {
    const { page } = app
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await page.getByRole('button', { name: 'Mulai', exact: true }).click()
    const nik = page.getByRole('textbox', { name: 'NIK', exact: true })
    await nik.click()
    await page.keyboard.type(SITI_NIK)
    await page.keyboard.press('Enter')
    await page.getByLabel('Nama lengkap sesuai KTP').click()
    await page.keyboard.type('SITI RAHAYU')

    await page.keyboard.press('Control+Shift+KeyS')
    await page.getByLabel('ID petugas').fill(STAFF.operator.id)
    await page.getByLabel('PIN', { exact: true }).fill(STAFF.operator.pin)
    await page.getByRole('button', { name: 'Masuk', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Pendaftaran baru' })).toBeVisible()
    await expect(stepHeading(page, 'Identitas')).toBeVisible()
    await expect(page.getByLabel('Nama lengkap sesuai KTP')).toHaveValue('SITI RAHAYU')
    await page.getByRole('button', { name: 'Kembali' }).click()
    await expect(nik).toHaveValue(SITI_NIK)
  })
})
