import type { Page } from '@playwright/test'
import { fillStreet, testConfig } from './harness'
import {
  approve,
  captureStatus,
  expect,
  expectLivePreview,
  expectNoSeriousViolations,
  failVerdict,
  fakeCamera,
  fillUpToPhoto,
  NIK,
  next,
  partHeading,
  sendAndFindRecord,
  shootButton,
  stepHeading,
  test,
} from './photo-kit'
import { screenshot } from './screenshots'

/** The photo step with Chromium's fake camera showing a floor and legs (no-face.mjpeg): the face is refused. */
test.use({ config: { ...testConfig, requirePhotos: true }, launchOptions: fakeCamera('no-face.mjpeg') })

test.describe('photo step with no face in front of the camera', () => {
  test('the face part blocks and says why; staff approval with a reason lets it through and is audited', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    const { page } = app
    await fillUpToPhoto(page)
    await expectLivePreview(page)
    await shootButton(page).click()
    await expect(failVerdict(page)).toContainText('Tidak ada wajah terdeteksi', { timeout: 15_000 })
    await expect(page.getByRole('img', { name: 'Hasil foto wajah' })).toBeVisible()
    await screenshot(page, 'photo-verdict-fail-id', { fullPage: true })

    // A refused photo holds the step.
    await next(page)
    await expect(page.getByRole('alert').filter({ hasText: 'Foto belum memenuhi syarat mutu.' })).toBeVisible()
    await expect(stepHeading(page, 'Foto')).toBeVisible()
    await expect(partHeading(page, 'Foto wajah')).toBeFocused()

    // Approval needs a reason from the list; "Lainnya" needs details of at least 3 characters.
    await page.getByRole('button', { name: 'Setujui dengan alasan' }).click()
    await page.getByRole('button', { name: 'Setujui foto' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'Pilih alasan.' })).toBeVisible()
    await page.getByRole('radio', { name: 'Lainnya' }).check()
    await page.getByRole('textbox', { name: 'Keterangan' }).fill('ok')
    await page.getByRole('textbox', { name: 'Keterangan' }).press('Enter')
    await expect(page.getByRole('alert').filter({ hasText: 'Tulis keterangan minimal 3 karakter.' })).toBeVisible()
    await expect(stepHeading(page, 'Foto')).toBeVisible()
    await page.getByRole('button', { name: 'Batal' }).click()
    await approve(page, 'Lainnya', 'Wajah terlihat jelas, detektor keliru')
    await expect(page.getByRole('button', { name: /Foto wajah\s*Disetujui petugas/ })).toBeVisible()

    await page.getByRole('button', { name: 'Lanjut ke foto KTP' }).click()
    await expectLivePreview(page)
    await shootButton(page).click()
    await expect(failVerdict(page)).toBeVisible({ timeout: 15_000 })
    await approve(page, 'Cahaya atau kamera posko tidak memungkinkan foto lebih baik')

    const record = await sendAndFindRecord(page, kiosk, async () => {
      // The review shows both photos and marks each one staff approved below the check, with the reason.
      const photos = page.getByRole('region', { name: 'Foto' })
      await expect(photos.getByRole('img', { name: 'Foto wajah yang tersimpan' })).toBeVisible()
      await expect(photos.getByRole('img', { name: 'Foto KTP yang tersimpan' })).toBeVisible()
      await expect(photos.locator('.photo-fact-approved')).toHaveCount(2)
      await expect(photos.locator('[data-photo="face"]')).toContainText('Disetujui petugas di bawah syarat mutu')
      await expect(photos.locator('[data-photo="face"]')).toContainText('Alasan: Lainnya: Wajah terlihat jelas, detektor keliru')
      await expect(photos.locator('[data-photo="card"]')).toContainText('Alasan: Cahaya atau kamera posko tidak memungkinkan foto lebih baik')
      await expectNoSeriousViolations(page, 'review with approved photos')
    })
    expect(record.photos.face).toMatchObject({ overrideCode: 'other', overrideReason: 'Wajah terlihat jelas, detektor keliru' })
    expect(record.photos.card).toEqual({ sha256: expect.any(String), overrideCode: 'lighting' })
    // The audit row names the reason chosen from the list, never the words typed (they stay in the sealed record).
    const rows = kiosk.audit.list({ action: 'photo_override' })
    expect(rows.map((r) => ({ actor: r.actor, recordId: r.record_id, details: JSON.parse(r.details) as unknown })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { actor: 'sup-e2e', recordId: record.id, details: { kind: 'card', reason: 'lighting' } },
      { actor: 'sup-e2e', recordId: record.id, details: { kind: 'face', reason: 'other' } },
    ])
    expect(JSON.stringify(rows)).not.toContain('detektor')
  })
})

/** The self-service kiosk's pages (selfservice.spec.ts) up to its photo page, typed on a physical keyboard. */
async function fillSelfServiceUpToPhoto(page: Page) {
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await page.getByRole('button', { name: 'Mulai', exact: true }).click()
  await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(NIK)
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
  await next(page)
  await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti Rahayu')
  await page.getByLabel('Tempat lahir').fill('Surabaya')
  await next(page)
  await page.getByLabel('Kelurahan/desa').selectOption({ label: 'Kebraon' })
  await next(page)
  await fillStreet(page)
  await next(page)
  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  await next(page)
  await page.getByRole('radio', { name: 'Pencari kerja' }).click()
  await next(page)
  await page.getByRole('radio', { name: 'SMA/SMK/sederajat' }).click()
  await next(page)
  await expect(stepHeading(page, SELF_SERVICE_PHOTO)).toBeFocused()
}

const SELF_SERVICE_PHOTO = 'Foto wajah dan KTP'

test.describe('photo step at a self-service kiosk', () => {
  test.use({ config: { ...testConfig, mode: 'self-service' }, signedInAs: null })

  test('a refused photo can only be retaken or staff called (banner, tone, audit, event); touch hints; no idle reset mid-countdown', async ({ app, kiosk }) => {
    const { page } = app
    const called: unknown[] = []
    kiosk.events.subscribe((name, payload) => {
      if (name === 'staff.called') called.push(payload)
    })
    await fillSelfServiceUpToPhoto(page)
    await expectLivePreview(page)
    // A touch kiosk: what to touch, no keys.
    const hint = page.locator('.capture-controls .field-hint')
    await expect(hint).toContainText('Sentuh "Ambil foto"')
    await expect(hint).not.toContainText(/Spasi|Esc/)

    // The countdown holds the idle timer: standing still for it is not leaving (warning is due 60 s after input).
    await page.clock.install()
    await page.clock.fastForward('00:50')
    await shootButton(page).click()
    await expect(captureStatus(page)).toContainText('Foto diambil dalam 3')
    await page.clock.fastForward('01:05')
    await expect(page.getByRole('alertdialog', { name: 'Masih di sini?' })).toHaveCount(0)
    await page.clock.runFor(3_000)
    await expect(failVerdict(page)).toContainText('Tidak ada wajah terdeteksi', { timeout: 15_000 })
    await page.clock.resume()

    await expect(page.getByRole('button', { name: 'Ulangi' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Setujui dengan alasan' })).toHaveCount(0)
    await next(page)
    await expect(page.getByRole('alert').filter({ hasText: 'Di layanan mandiri foto harus memenuhi syarat mutu.' })).toBeVisible()
    await expect(stepHeading(page, SELF_SERVICE_PHOTO)).toBeVisible()

    // "Panggil petugas": a banner and a tone at the kiosk, an audit row, and the event staff desks can listen to.
    await page.evaluate(() => {
      const w = window as unknown as { __tones: number }
      w.__tones = 0
      const start = OscillatorNode.prototype.start
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
        w.__tones++
        return start.apply(this, args)
      }
    })
    await page.getByRole('button', { name: 'Panggil petugas' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Petugas sudah dipanggil.' })).toBeVisible()
    expect(await page.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBe(2)
    expect(kiosk.audit.list({ action: 'call_staff' })).toMatchObject([{ actor: null, details: '{"reason":"photo"}' }])
    expect(called).toMatchObject([{ reason: 'photo', postId: testConfig.postId }])
    await expectNoSeriousViolations(page, 'self-service, staff called')
  })
})

