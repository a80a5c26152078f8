import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import type { Central } from '../central/server'
import { createDemoPosts, DEMO_POST_ID, startCentral } from '../central/server'
import { makeDraft, MARKERS, nikFor, SITI_NIK } from '../fixtures/drafts'
import { expect, fakeMedia, holdCalls, STAFF, test, openMenu } from './harness'
import { screenshot, screenshotCentralPort, testNow } from './screenshots'

/**
 * The supervisor's and IT's tools against the real services: USB bundles (export, import to the reference
 * central, exactly once), the retention purge, the day report with its CSV, kiosk enrolment, and "Tentang Posko".
 */
async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}


async function open(page: Page, screen: 'Bundel USB' | 'Penghapusan data' | 'Laporan harian' | 'Pendaftaran perangkat') {
  await (await openMenu(page)).getByRole('button', { name: screen }).click()
  await expect(page.getByRole('heading', { level: 1, name: screen })).toBeFocused()
}

async function submitRecord(kiosk: TestKiosk, nik = SITI_NIK): Promise<string> {
  const result = await kiosk.call('registration.submit', { draft: makeDraft({ nik }) })
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return (result.value as { id: string }).id
}

/** A folder standing in for the USB stick, removed after the test. */
function usbStick(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'posko-e2e-usb-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

test.describe('USB bundles', () => {
  test('a kiosk that is not enrolled explains, in Indonesian, why it cannot export; paths must be absolute', async ({ app, kiosk }) => {
    const { page } = app
    const stick = usbStick()
    try {
      await open(page, 'Bundel USB')
      const exportCard = page.getByRole('region', { name: 'Ekspor ke flashdisk' })
      // Nothing waiting: said before any drive or folder is chosen, and the button stays shut (issue 19.10).
      await expect(exportCard.locator('[data-bundle="will-write"]')).toHaveText('Tidak ada pendaftaran yang menunggu dikirim ke pusat, jadi tidak ada yang perlu diekspor.')
      await expect(exportCard.getByLabel('Folder tujuan')).toHaveCount(0)
      await expect(exportCard.getByRole('button', { name: 'Ekspor' })).toBeDisabled()
      // A registration arrives: the card counts it at once.
      await submitRecord(kiosk)
      await expect(exportCard.locator('[data-bundle="will-write"]')).toHaveText('1 pendaftaran akan ditulis ke flashdisk.')
      await exportCard.getByLabel('Folder tujuan').fill('media/usb')
      await exportCard.getByRole('button', { name: 'Ekspor' }).click()
      await expect(exportCard.getByText('Tulis alamat lengkap')).toBeVisible()
      await expect(exportCard.getByLabel('Folder tujuan')).toBeFocused()

      await exportCard.getByLabel('Folder tujuan').fill(stick.dir)
      await exportCard.getByRole('button', { name: 'Ekspor' }).click()
      await expect(exportCard.getByRole('alert')).toContainText('Perangkat ini belum didaftarkan ke server pusat, jadi bundel belum dapat dibuat')
      await expect(exportCard.getByRole('alert')).toContainText('Pendaftaran perangkat')
      expect(readdirSync(stick.dir)).toEqual([])

      const importCard = page.getByRole('region', { name: 'Impor ke pusat' })
      await importCard.getByLabel('File bundel').fill(join(stick.dir, 'none.pkb'))
      await importCard.getByRole('button', { name: 'Impor ke pusat' }).click()
      await expect(importCard.getByRole('alert')).toContainText('belum dapat mengirim bundel')
      await expectNoSeriousViolations(page, 'bundles (not enrolled)')

      // The supervisor sees the enrolment, read-only, with whom to ask.
      await open(page, 'Pendaftaran perangkat')
      await expect(page.getByText('Perangkat ini belum didaftarkan ke server pusat.')).toBeVisible()
      await expect(page.getByText('Hanya petugas TI yang dapat mendaftarkan perangkat.')).toBeVisible()
      await expect(page.getByRole('button', { name: 'Daftarkan perangkat' })).toHaveCount(0)
      await expectNoSeriousViolations(page, 'enrolment (supervisor)')
    } finally {
      stick.remove()
    }
  })

  test.describe('started with a post token, as the demo is', () => {
    test.use({ centralToken: 'post-token-from-config' })
    test('the enrolment screen does not say the kiosk cannot send while it sends with the post token (issue 19.10)', async ({ app }) => {
      const { page } = app
      await open(page, 'Pendaftaran perangkat')
      await expect(page.locator('[data-enrolment="post-token"]')).toHaveText(/sudah mengirim pendaftaran ke server pusat dengan token posko/)
      await expect(page.getByText('belum dapat dikirim ke pusat')).toHaveCount(0)
    })
  })

  test.describe('enrolled by IT', () => {
    // The kiosk sees one USB stick, KINGSTON: staff choose it, and the bundle on it, instead of typing paths.
    const media = fakeMedia('KINGSTON')
    test.use({ signedInAs: 'it', drives: media.drives })
    test.afterAll(() => media.remove())
    let centralDir: string
    let central: Central

    test.beforeEach(async () => {
      centralDir = mkdtempSync(join(tmpdir(), 'posko-e2e-central-'))
      createDemoPosts(centralDir)
      central = await startCentral({ dataDir: centralDir, port: screenshotCentralPort })
    })

    test.afterEach(async () => {
      await central.close()
      rmSync(centralDir, { recursive: true, force: true })
    })

    test('IT enrols the kiosk; a supervisor exports a record to the stick and imports it to central exactly once', { tag: '@screenshot' }, async ({ app, kiosk }) => {
      const { page } = app
      const stick = { dir: media.stick }
      // IT: the menu holds the enrolment and nothing with personal data (session.spec.ts checks IT's whole menu).
      await expect((await openMenu(page)).getByRole('button', { name: 'Pendaftaran perangkat' })).toBeVisible()
      await expect((await openMenu(page)).getByRole('button', { name: 'Bundel USB' })).toHaveCount(0)
      await expect((await openMenu(page)).getByRole('button', { name: 'Laporan harian' })).toHaveCount(0)
      await open(page, 'Pendaftaran perangkat')
      await expect(page.getByText('Perangkat ini belum didaftarkan ke server pusat.')).toBeVisible()
      const form = page.getByRole('region', { name: 'Daftarkan perangkat' })
      await expect(form.getByLabel('Kode posko')).toHaveValue(DEMO_POST_ID)
      await form.getByLabel('Alamat server pusat').fill(central.url)
      await form.getByLabel('Kode pendaftaran sekali pakai').fill('ABCD-EFGH-JKMN')
      await form.getByRole('button', { name: 'Daftarkan perangkat' }).click()
      await expect(form.getByText('Kode pendaftaran ditolak pusat')).toBeVisible()
      await expect(form.getByLabel('Kode pendaftaran sekali pakai')).toBeFocused()
      await expect(form.getByLabel('Kode pendaftaran sekali pakai')).toHaveValue('')
      await expectNoSeriousViolations(page, 'enrolment (refused code)')

      await form.getByLabel('Kode pendaftaran sekali pakai').fill(central.issueEnrolmentCode(DEMO_POST_ID).code)
      await form.getByRole('button', { name: 'Daftarkan perangkat' }).click()
      await expect(page.getByRole('heading', { name: 'Mulai ulang Posko' })).toBeFocused()
      await expect(page.getByText('Tutup lalu buka kembali Posko')).toBeVisible()
      await expect(page.getByText('Terdaftar ke server pusat.')).toBeVisible()
      await expect(page.locator('[data-enrolment="post"]')).toHaveText(DEMO_POST_ID)
      await expectNoSeriousViolations(page, 'enrolment (enrolled)')
      await screenshot(page, 'enrolment-id', { fullPage: true, unstable: [page.getByText(/^[0-9a-f]{32}$/)] }) // the new key's id

      // The bundle service reads the credentials live: no restart is needed to export.
      await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
      const recordId = await submitRecord(kiosk)
      const exportCall = await holdCalls(page, 'bundle.export')
      await page.reload()
      await open(page, 'Bundel USB')
      const exportCard = page.getByRole('region', { name: 'Ekspor ke flashdisk' })
      // The one stick is found and already chosen, with its free space; no path to type.
      await expect(exportCard.getByRole('status').filter({ hasText: 'flashdisk terbaca' })).toHaveText('1 flashdisk terbaca.')
      await expect(exportCard.getByRole('radio', { name: /^KINGSTON .* bebas dari / })).toBeChecked()
      await expect(exportCard.getByLabel('Folder tujuan')).toHaveCount(0)
      await expect(exportCard.locator('[data-bundle="will-write"]')).toHaveText('1 pendaftaran akan ditulis ke flashdisk.')
      await exportCard.getByRole('button', { name: 'Ekspor' }).click()
      const bar = exportCard.getByRole('progressbar', { name: 'Kemajuan ekspor' })
      await expect(bar).toBeVisible()
      await expect(exportCard.getByRole('button', { name: 'Mengekspor…' })).toBeDisabled()
      // The kiosk's progress event, as a long export sends it between records.
      kiosk.events.emit('bundle.progress', { operation: 'export', done: 2, total: 5 })
      await expect(bar).toHaveAttribute('aria-valuenow', '2')
      await expect(bar).toHaveAttribute('aria-valuemax', '5')
      await expect(bar).toContainText('2 dari 5 pendaftaran')
      // An import's events are not this bar's.
      kiosk.events.emit('bundle.progress', { operation: 'import', done: 4, total: 5 })
      await expect(bar).toHaveAttribute('aria-valuenow', '2')
      await exportCall.release()

      await expect(exportCard.getByRole('status').filter({ hasText: 'Bundel' })).toHaveText('Bundel tersimpan di flashdisk: 1 pendaftaran.')
      const [fileName] = readdirSync(stick.dir)
      expect(fileName).toMatch(/^posko-JT-3578-01-\d{8}-\d{6}\.pkb$/)
      await expect(exportCard.locator('[data-bundle="file"]')).toHaveText(fileName!)
      await expect(exportCard.locator('[data-bundle="records"]')).toHaveText('1')
      await expect(exportCard.locator('[data-bundle="size"]')).toHaveText(/^\d+(,\d)? kB$/)
      await expect(exportCard.getByText('Bawa flashdisk ke posko yang terhubung internet')).toBeVisible()
      expect(kiosk.store.record(recordId)?.state).toBe('exported')

      // At a connected post: the bundle goes to central, which takes it in once.
      const file = join(stick.dir, fileName!)
      const importCard = page.getByRole('region', { name: 'Impor ke pusat' })
      // The bundles on the stick are listed from their headers; the newest (the only one) is chosen.
      await importCard.getByRole('button', { name: 'Cari ulang flashdisk' }).click()
      await expect(importCard.getByRole('radio', { name: /^KINGSTON/ })).toBeChecked()
      const onStick = importCard.getByRole('group', { name: 'Bundel di KINGSTON' })
      await expect(onStick.getByRole('radio', { name: new RegExp(`^${fileName!.replace(/\./g, '\\.')} Posko JT-3578-01 · 1 pendaftaran · `) })).toBeChecked()
      await importCard.getByRole('button', { name: 'Impor ke pusat' }).click()
      await expect(importCard.getByRole('status').filter({ hasText: 'Bundel' })).toHaveText('Bundel diterima pusat.')
      await expect(importCard.locator('[data-bundle="accepted"]')).toHaveText('1')
      await expect(importCard.locator('[data-bundle="duplicate"]')).toHaveText('0')
      await expect(importCard.locator('[data-bundle="rejected"]')).toHaveText('0')
      expect(central.stats()).toMatchObject({ accepted: 1, records: 1 })
      await expectNoSeriousViolations(page, 'bundles (exported and imported)')
      await screenshot(page, 'bundle-id', { fullPage: true, unstable: [page.getByText(/ bebas dari /)] }) // the stick's free space

      await importCard.getByRole('button', { name: 'Impor ke pusat' }).click()
      await expect(importCard.getByRole('status').filter({ hasText: 'Bundel' })).toContainText('Bundel ini sudah pernah diimpor')
      await expect(importCard.locator('[data-bundle="accepted"]')).toHaveText('1')
      expect(central.stats()).toMatchObject({ accepted: 1, records: 1 })

      // A copy changed on the way is refused whole, with central's reason in words.
      const tampered = join(stick.dir, 'tampered.pkb')
      const bytes = readFileSync(file)
      const at = bytes.length - 100
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at)
      writeFileSync(tampered, bytes)
      await importCard.getByRole('button', { name: 'Cari ulang flashdisk' }).click()
      await onStick.getByRole('radio', { name: /^tampered\.pkb / }).check()
      await importCard.getByRole('button', { name: 'Impor ke pusat' }).click()
      await expect(importCard.getByRole('alert')).toContainText('isinya rusak atau telah diubah sejak diekspor')
      expect(central.stats()).toMatchObject({ accepted: 1, records: 1 })
    })
  })
})

test.describe('data deletion', () => {
  test('explains the rule, asks before erasing, and says what it erased', async ({ app, kiosk }) => {
    const recordId = await submitRecord(kiosk)
    const longAgo = new Date(Date.now() - 30 * 86_400_000).toISOString()
    kiosk.store.markAccepted(recordId, 'C-1', longAgo)
    kiosk.store.clearOutbox()
    const { page } = app
    await open(page, 'Penghapusan data')
    await expect(page.getByText('dihapus dari perangkat ini 7 hari setelah diterima pusat')).toBeVisible()

    const start = page.getByRole('button', { name: 'Hapus sekarang' })
    await start.click()
    const dialog = page.getByRole('dialog', { name: 'Hapus data pribadi sekarang?' })
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('lebih dari 7 hari lalu')
    // The safe choice has the focus; Esc cancels and nothing is erased.
    await expect(dialog.getByRole('button', { name: 'Batal' })).toBeFocused()
    await expectNoSeriousViolations(page, 'purge (confirm)')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await expect(start).toBeFocused()
    expect(kiosk.store.record(recordId)?.state).toBe('accepted')

    await start.click()
    await dialog.getByRole('button', { name: 'Ya, hapus sekarang' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Selesai.' })).toHaveText('Selesai. Data pribadi dihapus dari 1 pendaftaran dan 0 foto.')
    expect(kiosk.store.record(recordId)?.state).toBe('purged')
    await expectNoSeriousViolations(page, 'purge (done)')

    await start.click()
    await dialog.getByRole('button', { name: 'Ya, hapus sekarang' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Tidak ada yang perlu dihapus sekarang' })).toBeVisible()
  })
})

test.describe('day report', () => {
  test("shows today's counts per operator, hour and state, and exports them as CSV without personal data", { tag: '@screenshot' }, async ({ app, kiosk }) => {
    await submitRecord(kiosk, nikFor(1))
    await submitRecord(kiosk, nikFor(2))
    const { page } = app
    await open(page, 'Laporan harian')
    const now = testNow()
    // Day first, whatever the browser's locale (issue 19).
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
    await expect(page.getByLabel('Tanggal')).toHaveValue(`${today.slice(8)}/${today.slice(5, 7)}/${today.slice(0, 4)}`)
    await expect(page.locator('[data-report="total"]')).toHaveText('2')
    const perOperator = page.getByRole('table', { name: 'Per petugas' })
    await expect(perOperator.getByRole('row', { name: STAFF.supervisor.id })).toContainText('2')
    await expect(page.getByRole('table', { name: 'Menurut status' }).getByRole('row', { name: 'Menunggu unggah' })).toContainText('2')
    await expect(page.getByRole('table', { name: 'Per jam' }).getByRole('row')).toHaveCount(2)
    await expectNoSeriousViolations(page, 'day report')
    await screenshot(page, 'report-id', { fullPage: true })

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Ekspor CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe(`report-JT-3578-01-${today}.csv`)
    const csv = await readFile(await file.path(), 'utf8')
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe('date,section,key,count')
    expect(lines).toContain(`${today},total,,2`)
    expect(lines).toContain(`${today},operator,${STAFF.supervisor.id},2`)
    expect(lines).toContain(`${today},state,queued,2`)
    for (const personal of [nikFor(1), nikFor(2), MARKERS.name, MARKERS.phoneE164, MARKERS.email, STAFF.supervisor.name]) {
      expect(csv.toLowerCase()).not.toContain(personal.toLowerCase())
    }
    expect(csv).not.toMatch(/\d{16}/)
    await expect(page.getByRole('status').filter({ hasText: `File ${file.suggestedFilename()} diunduh.` })).toBeVisible()

    // Another day: nothing registered.
    await page.getByLabel('Tanggal').fill('02/01/2020')
    await page.getByRole('button', { name: 'Tampilkan' }).click()
    await expect(page.getByText('Tidak ada pendaftaran pada tanggal ini.')).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Laporan 2 Januari 2020' })).toBeVisible()
  })
})

test.describe('about', () => {
  test.use({ signedInAs: null })

  test('is reachable signed out, with the version, the privacy rule and the ODbL credit', { tag: '@screenshot' }, async ({ app }) => {
    const { page } = app
    await expect(page.getByRole('heading', { name: 'Masuk petugas' })).toBeVisible()
    await page.getByRole('contentinfo').getByRole('button', { name: 'Tentang Posko' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Tentang Posko' })).toBeFocused()
    await expect(page.getByText('Data wilayah: idn-area-data oleh Fityan, lisensi ODbL')).toBeVisible()
    await expect(page.getByText('Open Database License (ODbL) 1.0')).toBeVisible()
    await expect(page.getByText('@vladmandic/human')).toBeVisible()
    await expect(page.getByText('0.0.0-test')).toBeVisible()
    await expect(page.getByText('data pribadi dihapus dari perangkat ini 7 hari kemudian')).toBeVisible()
    await expectNoSeriousViolations(page, 'about')
    await screenshot(page, 'about-id', { fullPage: true })
    await page.getByRole('button', { name: 'Kembali ke halaman masuk' }).click()
    await expect(page.getByRole('heading', { name: 'Masuk petugas' })).toBeVisible()
  })
})
