import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { chromiumArgs, chromiumPath } from './chromium'
import { test as base, expect, fillAddress, root } from './harness'

/**
 * Shared by the photo specs. Chromium's fake camera loops one picture (test/fixtures/photos/README.md) and is a
 * launch flag, so each picture needs its own spec file (Playwright launches one browser per worker). It gives the
 * same 640×480 frame to the face and the KTP part: the face part gets a real verdict from it, and the KTP part
 * always fails `resolution` (a card needs ≥ 1000 px on the long side, docs/photo-thresholds.md), so the specs
 * take the KTP through the staff approval path.
 */

declare global {
  interface Window {
    /** Set by a test: the next getUserMedia call rejects with a DOMException of this name. */
    __cameraError?: string
    /** Set by a test: getUserMedia takes this long, as a webcam waking up does. */
    __cameraDelayMs?: number
    /** Every stream the page opened, to check the step stops them. */
    __cameraStreams?: MediaStream[]
    /** Set by a test: enumerateDevices lists this (absent) camera after the real ones. */
    __extraCamera?: { deviceId: string; label: string }
  }
}

/**
 * Wraps the camera API before the app loads: records the streams getUserMedia opens, or fails or dawdles the way a
 * test asks, and can list one more camera than Chromium's fake device provides.
 */
function instrumentCamera() {
  const media = navigator.mediaDevices
  const getUserMedia = media.getUserMedia.bind(media)
  const enumerateDevices = media.enumerateDevices.bind(media)
  window.__cameraStreams = []
  media.getUserMedia = async (constraints) => {
    if (window.__cameraError) throw new DOMException('', window.__cameraError)
    if (window.__cameraDelayMs) await new Promise((r) => setTimeout(r, window.__cameraDelayMs))
    const stream = await getUserMedia(constraints)
    window.__cameraStreams?.push(stream)
    return stream
  }
  media.enumerateDevices = async () => {
    const devices = await enumerateDevices()
    const extra = window.__extraCamera
    if (!extra) return devices
    const fake = { ...extra, kind: 'videoinput', groupId: 'extra', toJSON: () => extra } as MediaDeviceInfo
    return [...devices, fake]
  }
}

export const test = base.extend({
  page: async ({ page }, use) => {
    await page.addInitScript(instrumentCamera)
    await use(page)
  },
})

export { expect, root }

/** Launch options with Chromium's fake camera showing one fixture picture. */
export function fakeCamera(file: string) {
  const path = join(root, 'test', 'fixtures', 'photos', file)
  return { executablePath: chromiumPath(), args: chromiumArgs([`--use-file-for-fake-video-capture=${path}`]) }
}

export const NIK = '3578014101900003'

export const next = (page: Page) => page.getByRole('button', { name: 'Lanjut', exact: true }).click()
export const stepHeading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name, exact: true })
export const partHeading = (page: Page, name: string) => page.getByRole('heading', { level: 3, name, exact: true })
export const shootButton = (page: Page) => page.getByRole('button', { name: 'Ambil foto' })
export const failVerdict = (page: Page) => page.getByRole('alert').filter({ hasText: 'Foto belum memenuhi syarat:' })
export const passVerdict = (page: Page) => page.getByRole('status').filter({ hasText: 'Foto memenuhi syarat' })
/** The countdown and "checking" line: a live region without a role of its own, so found by its class. */
export const captureStatus = (page: Page) => page.locator('.capture-status')

export async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

/** Home to the photo step with a valid applicant (the same woman as registration.spec.ts). */
export async function fillUpToPhoto(page: Page) {
  await page.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next(page)
  await page.getByRole('textbox', { name: 'NIK', exact: true }).fill(NIK)
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
  await next(page)
  await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti Rahayu')
  await page.getByLabel('Tempat lahir').fill('Surabaya')
  await next(page)
  await fillAddress(page)
  await next(page)
  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  await next(page)
  await page.getByLabel('Status pekerjaan').selectOption({ label: 'Pencari kerja' })
  await page.getByLabel('Pendidikan terakhir').selectOption({ label: 'SMA/SMK/sederajat' })
  await next(page)
  await expect(stepHeading(page, 'Foto')).toBeFocused()
}

/** The preview is showing real frames (not just an element waiting for a stream). */
export async function expectLivePreview(page: Page) {
  await expect(shootButton(page)).toBeEnabled()
  await expect.poll(() => page.locator('video').evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0)
}

/** Streams the page opened that still have a live track: the camera light is on. */
export function liveStreams(page: Page): Promise<number> {
  return page.evaluate(() => (window.__cameraStreams ?? []).filter((s) => s.getTracks().some((t) => t.readyState === 'live')).length)
}

/** Staff approve a refused photo: a reason from the list (by its words), and details of their own if given. */
export async function approve(page: Page, choice: string, details?: string) {
  await page.getByRole('button', { name: 'Setujui dengan alasan' }).click()
  const first = page.getByRole('group', { name: 'Alasan' }).getByRole('radio').first()
  await expect(first).toBeFocused()
  await page.getByRole('radio', { name: choice }).check()
  if (details) await page.getByRole('textbox', { name: /^Keterangan/ }).fill(details)
  await page.getByRole('button', { name: 'Setujui foto' }).click()
  await expect(page.getByText(`Disetujui petugas. Alasan: ${[choice, details].filter(Boolean).join(': ')}`)).toBeFocused()
}

type StoredPhotos = Record<'face' | 'card', { sha256: string; overrideReason?: string; overrideCode?: string } | null>

/** From the photo step: on to the review, send, and read back what the kiosk stored. */
export async function sendAndFindRecord(page: Page, kiosk: TestKiosk, atReview?: () => Promise<void>): Promise<{ id: string; photos: StoredPhotos }> {
  await next(page)
  await expect(stepHeading(page, 'Periksa kembali')).toBeVisible()
  await atReview?.()
  await page.getByRole('button', { name: 'Kirim' }).click()
  await expect(stepHeading(page, 'Tanda terima')).toBeFocused()
  const found = await kiosk.call('registration.find', { query: NIK })
  if (!found.ok) throw new Error(`registration.find failed: ${found.error.code}`)
  const [summary] = (found.value as { results: { id: string }[] }).results
  const view = await kiosk.call('registration.get', { id: summary?.id })
  if (!view.ok) throw new Error(`registration.get failed: ${view.error.code}`)
  return (view.value as { record: { id: string; photos: StoredPhotos } }).record
}
