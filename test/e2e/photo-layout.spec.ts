import { chromiumArgs, chromiumPath } from './chromium'
import { expect, expectLivePreview, fillUpToPhoto, test } from './photo-kit'

/**
 * Chromium's own fake camera (no picture file): it streams at the 1280×720 the kiosk asks for, as most USB webcams
 * do. On a touch kiosk a button that moves as the picture arrives is a tap on the wrong thing.
 */
test.use({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs() } })

test('the buttons under the preview stay put while the camera starts: nothing jumps under a finger', async ({ app }) => {
  const { page } = app
  // A webcam takes a moment to wake up; the step is on screen meanwhile.
  await page.evaluate(() => {
    window.__cameraDelayMs = 1500
  })
  await fillUpToPhoto(page)
  const lanjut = page.getByRole('button', { name: 'Lanjut', exact: true })
  const before = await lanjut.boundingBox()
  expect(await page.locator('video').evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBe(0)
  await expectLivePreview(page)
  await expect.poll(() => page.locator('video').evaluate((v) => (v as HTMLVideoElement).videoHeight)).toBe(720)
  expect((await lanjut.boundingBox())?.y).toBe(before?.y)
})
