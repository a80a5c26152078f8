import type { Page } from '@playwright/test'
import { testConfig } from './harness'
import {
  approve,
  captureStatus,
  expect,
  expectLivePreview,
  expectNoSeriousViolations,
  failVerdict,
  fakeCamera,
  fillUpToPhoto,
  liveStreams,
  next,
  partHeading,
  passVerdict,
  sendAndFindRecord,
  shootButton,
  stepHeading,
  test,
} from './photo-kit'
import { screenshot } from './screenshots'

/**
 * The photo step against the real kiosk services, with Chromium's fake camera showing a well-lit face
 * (good-face.mjpeg, 640×480). That frame passes as a face and fails as a KTP (too few pixels for a card), so the
 * KTP goes through staff approval here; photo-no-face.spec.ts has the refused face.
 */
test.use({ config: { ...testConfig, requirePhotos: true }, launchOptions: fakeCamera('good-face.mjpeg') })

const countdownAnimation = (page: Page) => page.locator('.camera-countdown-number').evaluate((el) => getComputedStyle(el).animationName)

test.describe('photo step with a face in front of the camera', () => {
  test('a registration completes with a face photo and a KTP photo taken through the camera', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    const { page } = app
    await fillUpToPhoto(page)
    await expectLivePreview(page)
    await expect(page.getByRole('button', { name: /Foto wajah\s*Belum diambil/ })).toHaveAttribute('aria-current', 'step')
    await screenshot(page, 'photo-face-id', { fullPage: true })

    // This kiosk requires photos: the step does not let go without them.
    await next(page)
    await expect(page.getByRole('alert').filter({ hasText: 'Foto wajah dan foto KTP wajib diambil.' })).toBeVisible()
    await expect(partHeading(page, 'Foto wajah')).toBeFocused()
    await expect(stepHeading(page, 'Foto')).toBeVisible()

    await shootButton(page).click()
    await expect(captureStatus(page)).toHaveText('Foto diambil dalam 3…')
    await expect(passVerdict(page)).toBeVisible({ timeout: 15_000 })
    await expect(passVerdict(page)).toBeFocused()
    const preview = page.getByRole('img', { name: 'Hasil foto wajah' })
    await expect(preview).toBeVisible()
    expect(await preview.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    // Behind a verdict the camera is off.
    await expect(page.locator('video')).toHaveCount(0)
    expect(await liveStreams(page)).toBe(0)

    await page.getByRole('button', { name: 'Lanjut ke foto KTP' }).click()
    await expect(partHeading(page, 'Foto KTP')).toBeFocused()
    await expectLivePreview(page)
    await shootButton(page).click()
    await expect(failVerdict(page)).toContainText('Resolusi foto terlalu rendah', { timeout: 15_000 })
    await approve(page, 'Cahaya atau kamera posko tidak memungkinkan foto lebih baik', 'Kamera posko hanya 640x480')

    const record = await sendAndFindRecord(page, kiosk)
    expect(record.photos.face).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(record.photos.card).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), overrideCode: 'lighting', overrideReason: 'Kamera posko hanya 640x480' })
    expect(record.photos.card?.sha256).not.toBe(record.photos.face?.sha256)
    // Leaving the step stopped the camera for good.
    expect(await liveStreams(page)).toBe(0)
  })

  test('Space starts the 3-second countdown, Escape stops it, and the verdict takes focus', async ({ app }) => {
    const { page } = app
    await fillUpToPhoto(page)
    await expectLivePreview(page)

    // The step heading has focus when the step opens: Space there means "take the photo".
    await page.keyboard.press('Space')
    await expect(captureStatus(page)).toHaveText('Foto diambil dalam 3…')
    await expect(page.locator('.camera-countdown-number')).toHaveText('3')
    expect(await countdownAnimation(page)).not.toBe('none')
    await expect(page.getByRole('button', { name: 'Batal' })).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(captureStatus(page)).toHaveText('')
    await expect(shootButton(page)).toBeVisible()
    // Cancelled means no photo: well past the 3 seconds, still no verdict.
    await page.waitForTimeout(3500)
    await expect(passVerdict(page)).toHaveCount(0)

    // People who asked for less motion get the numbers without the pulse.
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.keyboard.press('Space')
    await expect(captureStatus(page)).toHaveText('Foto diambil dalam 3…')
    expect(await countdownAnimation(page)).toBe('none')
    await expect(captureStatus(page)).toHaveText('Foto diambil dalam 2…')
    await expect(passVerdict(page)).toBeFocused({ timeout: 15_000 })

    // Then on with the keyboard alone: Tab to "Ulangi", Tab to the KTP part, Enter, Space.
    await page.keyboard.press('Tab')
    await expect(page.getByRole('button', { name: 'Ulangi' })).toBeFocused()
    await page.keyboard.press('Tab')
    await expect(page.getByRole('button', { name: 'Lanjut ke foto KTP' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(partHeading(page, 'Foto KTP')).toBeFocused()
    await expectLivePreview(page)
    await page.keyboard.press('Space')
    await expect(failVerdict(page)).toBeFocused({ timeout: 15_000 })

    // "Ulangi" forgets the refused photo and goes back to the camera, ready for Space again.
    await page.getByRole('button', { name: 'Ulangi' }).press('Enter')
    await expect(shootButton(page)).toBeFocused()
    await expectLivePreview(page)
  })

  test('the photo step has no serious accessibility violations: preview, pass, refusal with approval', async ({ app }) => {
    const { page } = app
    await fillUpToPhoto(page)
    await expectLivePreview(page)
    await expectNoSeriousViolations(page, 'live preview')

    await shootButton(page).click()
    await expect(passVerdict(page)).toBeVisible({ timeout: 15_000 })
    await expectNoSeriousViolations(page, 'face passed')

    await page.getByRole('button', { name: 'Lanjut ke foto KTP' }).click()
    await expectLivePreview(page)
    await shootButton(page).click()
    await expect(failVerdict(page)).toBeVisible({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Setujui dengan alasan' }).click()
    await page.getByRole('button', { name: 'Setujui foto' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'Pilih alasan.' })).toBeVisible()
    await expectNoSeriousViolations(page, 'card refused, approval open')

    await page.getByRole('group', { name: 'Bahasa' }).getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'The photo resolution is too low.' })).toBeVisible()
    await expect(page.getByRole('group', { name: 'Reason' }).getByRole('radio', { name: 'KTP worn, faded or damaged' })).toBeVisible()
    await expectNoSeriousViolations(page, 'approval open, English')
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Bahasa Indonesia' }).click()
  })
})

test.describe('photo step with two cameras', () => {
  test('a camera picker appears; a camera that is gone says so, and the other can be picked again', async ({ app }) => {
    const { page } = app
    await page.evaluate(() => (window.__extraCamera = { deviceId: 'usb-desk-camera', label: 'Kamera meja USB' }))
    await fillUpToPhoto(page)
    await expectLivePreview(page)
    const picker = page.getByLabel('Kamera', { exact: true })
    await expect(picker.locator('option')).toHaveCount(2)
    const builtIn = await picker.inputValue()
    await picker.selectOption({ label: 'Kamera meja USB' })
    await expect(page.getByRole('alert').filter({ hasText: 'Kamera tidak ditemukan.' })).toBeVisible()
    expect(await liveStreams(page)).toBe(0)
    await picker.selectOption(builtIn)
    await expectLivePreview(page)
    expect(await liveStreams(page)).toBe(1)
  })
})

test.describe('photo step when the camera will not open', () => {
  test('each getUserMedia failure gets its own Indonesian message and "Coba lagi" retries', async ({ app }) => {
    const { page } = app
    await page.evaluate(() => (window.__cameraError = 'NotAllowedError'))
    await fillUpToPhoto(page)
    const problem = page.getByRole('alert').filter({ hasText: /kamera/i })
    await expect(problem).toContainText('Izin kamera ditolak.')
    await expect(shootButton(page)).toBeDisabled()
    await expectNoSeriousViolations(page, 'camera refused')

    for (const [name, message] of [
      ['NotReadableError', 'Kamera sedang dipakai aplikasi lain'],
      ['AbortError', 'Kamera sedang dipakai aplikasi lain'],
      ['NotFoundError', 'Kamera tidak ditemukan.'],
      ['OverconstrainedError', 'Kamera tidak ditemukan.'],
    ] as const) {
      await page.evaluate((error) => (window.__cameraError = error), name)
      await page.getByRole('button', { name: 'Coba lagi' }).click()
      await expect(problem).toContainText(message)
    }

    // Fixed (permission granted, camera free): the same button brings the preview.
    await page.evaluate(() => delete window.__cameraError)
    await page.getByRole('button', { name: 'Coba lagi' }).click()
    await expectLivePreview(page)
    await expect(problem).toHaveCount(0)
  })
})

test.describe('photo step with the kiosk camera (main side)', () => {
  test.use({ config: { ...testConfig, camera: { source: 'main', device: 'TEST' } } })

  test('no preview; "Ambil foto" asks the kiosk to capture, and its verdict is shown', async ({ app }) => {
    const { page } = app
    await fillUpToPhoto(page)
    await expect(page.getByText('Foto diambil dengan kamera kiosk.')).toBeVisible()
    await expect(page.locator('video')).toHaveCount(0)
    await shootButton(page).click()
    // fswebcam's test pattern (colour bars) has no face.
    await expect(failVerdict(page)).toContainText('Tidak ada wajah terdeteksi', { timeout: 30_000 })
    expect(await liveStreams(page)).toBe(0)
  })
})
