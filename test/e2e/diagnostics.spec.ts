import AxeBuilder from '@axe-core/playwright'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import type { UpdateState } from '../../common/operations'
import { makeDraft } from '../fixtures/drafts'
import { MALANG, startTestCentral } from '../central/testkit'
import type { E2eDesk } from './enrolled-desks'
import { postDesksForE2e } from './enrolled-desks'
import { expect, fillAddress, STAFF, test, testConfig, openMenu } from './harness'
import { screenshot } from './screenshots'

/**
 * IT's side of a post against the real services: the Diagnostik screen and its export, the update notice (its
 * states pushed through the kiosk's own event bus, since the harness kiosk has no updater), the draft report the
 * install policy waits on, and the receipt's print buttons where the kiosk has no printer (browser mode).
 */
async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Menu utama' })

async function open(page: Page, screen: 'Diagnostik' | 'Pendaftaran baru' | 'Beranda') {
  await (await openMenu(page)).getByRole('button', { name: screen }).click()
  if (screen !== 'Pendaftaran baru') await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible()
}

/** A downloaded update as the controller would publish it; the harness kiosk itself reports updates off. */
function downloaded(overrides: Partial<UpdateState> = {}): UpdateState {
  return {
    status: 'downloaded',
    disabledReason: null,
    currentVersion: '0.0.0-test',
    availableVersion: '1.5.0',
    channel: 'latest',
    progress: null,
    lastCheckAt: '2025-03-04T05:06:07.000Z',
    decision: { action: 'wait', reason: 'registration_open' },
    lastError: null,
    ...overrides,
  }
}

/** Queues one record as the supervisor (IT may not register), then signs IT back in. */
async function queueOneRecordAsIt(kiosk: TestKiosk) {
  await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
  const result = await kiosk.call('registration.submit', { draft: makeDraft() })
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  await kiosk.sessions.signIn(STAFF.it.id, STAFF.it.pin)
}

test.describe('Diagnostik (IT)', () => {
  test.use({ signedInAs: 'it' })

  /** A desk of the test post on the post network, and a kiosk enrolled to another post that dials it (real mTLS). */
  const withStranger = test.extend<{ desks: { own: E2eDesk; stranger: E2eDesk } }>({
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    desks: async ({}, use) => {
      const env = await startTestCentral()
      const [own] = (await postDesksForE2e(env.central, 1)) as [E2eDesk]
      const [stranger] = (await postDesksForE2e(env.central, 1, { postId: MALANG.postId, alsoDial: [`127.0.0.1:${own.port}`] })) as [E2eDesk]
      await own.kiosk.sessions.signIn(STAFF.it.id, STAFF.it.pin)
      await own.kiosk.network.start()
      await stranger.kiosk.network.start()
      await use({ own, stranger })
      own.close()
      stranger.close()
      await env.dispose()
    },
    kiosk: async ({ desks }, use) => use(desks.own.kiosk),
  })

  withStranger('lists the post network\'s devices with why one was refused ("Perangkat dari posko lain"), axe-clean', async ({ app, desks }) => {
    const { page } = app
    await expect.poll(() => desks.own.kiosk.network.peers().map((p) => p.reason), { timeout: 15_000 }).toContain('other_post')
    await open(page, 'Diagnostik')
    const card = page.getByRole('region', { name: 'Jaringan posko' })
    const row = card.getByRole('row', { name: new RegExp(desks.stranger.kioskId) })
    await expect(row).toContainText('Ditolak')
    await expect(row).toContainText('Perangkat dari posko lain')
    await expect(row).toContainText('Menghubungi perangkat ini')
    await expectNoSeriousViolations(page, 'peers')
  })

  test('shows versions, queue counts and why updates are off, and passes axe', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    const { page } = app
    // A supervisor switched this kiosk to self-service: diagnostics shows the mode it runs in (issue 19.10), not
    // only config.json's default.
    await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
    expect((await kiosk.call('settings.setMode', { mode: 'self-service' })).ok).toBe(true)
    await queueOneRecordAsIt(kiosk)
    await expect(page.getByRole('group', { name: 'Petugas yang sedang masuk' })).toContainText(STAFF.it.name)
    await (await openMenu(page)).getByRole('button', { name: 'Diagnostik' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Diagnostik' })).toBeFocused()

    const kioskCard = page.getByRole('region', { name: 'Perangkat' })
    await expect(kioskCard.locator('[data-diag="app-version"]')).toHaveText('0.0.0-test')
    await expect(kioskCard).toContainText('Kota Surabaya (JT-3578-01)')
    // The harness runs under plain Node: no Electron, and the screen says so rather than showing a blank.
    await expect(kioskCard).toContainText('Tidak ada (mode peramban)')
    await expect(kioskCard.locator('[data-diag="disk"]')).toContainText(/bebas/)
    await expect(kioskCard.locator('[data-diag="mode"]')).toHaveText('Layanan mandiri (bawaan konfigurasi: Layanan dibantu petugas; diubah oleh supervisor)')

    const work = page.getByRole('region', { name: 'Antrean dan pengiriman' })
    await expect(work.locator('[data-state="queued"]')).toHaveText('1')
    await expect(work.locator('[data-state="accepted"]')).toHaveText('0')
    await expect(work.locator('[data-state="total"]')).toHaveText('1')
    await expect(work.locator('[data-diag="upload-status"]')).toContainText('Belum tersambung ke pusat')

    const update = page.getByRole('region', { name: 'Pembaruan aplikasi' })
    await expect(update.locator('[data-diag="update-status"]')).toHaveText(
      'Mati: aplikasi dijalankan dari kode sumber, bukan dari paket terpasang (unpackaged)',
    )

    const config = page.getByRole('region', { name: 'Konfigurasi' })
    await expect(config.getByRole('row', { name: /postId/ })).toContainText('JT-3578-01')
    await expect(config.getByRole('row', { name: /camera\.source/ })).toContainText('renderer')

    await expect(page.getByRole('region', { name: 'Peringatan dan kesalahan terakhir' })).toBeVisible()
    await expectNoSeriousViolations(page, 'diagnostics')
    await screenshot(page, 'diagnostics-id', { fullPage: true, unstable: [kioskCard.locator('[data-diag="disk"]'), kioskCard.getByText(/posko-e2e-/)] })

    // English mirrors it.
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Diagnostics' })).toBeVisible()
    await expect(page.getByRole('region', { name: 'App updates' }).locator('[data-diag="update-status"]')).toHaveText(
      'Off: the app runs from source, not from an installed package (unpackaged)',
    )
  })

  test('exports a .tar.gz into a folder, and explains a wrong folder in Indonesian', async ({ app }) => {
    const { page } = app
    const stick = mkdtempSync(join(tmpdir(), 'posko-e2e-diag-'))
    try {
      await open(page, 'Diagnostik')
      const card = page.getByRole('region', { name: 'Ekspor diagnostik' })
      const field = card.getByLabel('Folder tujuan')
      const submit = card.getByRole('button', { name: 'Ekspor diagnostik' })

      await field.fill('flashdisk')
      await submit.click()
      await expect(card.getByText('Tulis alamat lengkap')).toBeVisible()
      await expect(field).toBeFocused()

      await field.fill(join(stick, 'tidak-ada'))
      await submit.click()
      await expect(card.getByRole('alert')).toHaveText('Folder itu tidak ada. Periksa alamatnya, atau pastikan flashdisk sudah terpasang.')

      if (process.platform === 'linux') {
        // sysfs refuses new files even to root: a folder that exists but can't be written, like a locked stick.
        await field.fill('/sys')
        await submit.click()
        await expect(card.getByRole('alert')).toHaveText('Folder itu tidak bisa ditulisi (flashdisk terkunci atau hanya-baca). Pilih folder lain.')
        // The kiosk logged it: a new snapshot lists it with its fields, newest first.
        await page.getByRole('button', { name: 'Muat ulang' }).click()
        const errors = page.getByRole('region', { name: 'Peringatan dan kesalahan terakhir' })
        const row = errors.getByRole('row', { name: /diagnostics export failed/ })
        await expect(row).toContainText('Peringatan')
        await expect(row).toContainText('code=EACCES')
        await expectNoSeriousViolations(page, 'diagnostics with errors')
      }

      await field.fill(stick)
      await submit.click()
      await expect(card.getByRole('status').filter({ hasText: 'File diagnostik' })).toHaveText('File diagnostik tersimpan.')
      const files = readdirSync(stick)
      expect(files).toHaveLength(1)
      const file = join(stick, files[0] ?? '')
      expect(file).toMatch(/posko-diagnostics-JT-3578-01-\d{8}-\d{6}Z\.tar\.gz$/)
      expect(existsSync(file)).toBe(true)
      await expect(card.locator('[data-diag="export-file"]')).toHaveText(file)
      // Under 1 kB it reads in bytes, above in kB with the Indonesian decimal comma.
      const bytes = statSync(file).size
      await expect(card.locator('[data-diag="export-size"]')).toHaveText(bytes >= 1000 ? /^\d+(,\d)? kB$/ : /^\d+ byte$/)
      await expect(card).toContainText('diagnostics.json')
      await expectNoSeriousViolations(page, 'diagnostics export done')
    } finally {
      rmSync(stick, { recursive: true, force: true })
    }
  })
})

test.describe('update notice', () => {
  test('shows a ready update with the reason it waits, and installs only after a confirmation', async ({ app, kiosk }) => {
    const { page } = app
    const notice = page.getByRole('region', { name: 'Pemberitahuan pembaruan' })
    await expect(mainNav(page)).toBeVisible()
    // Updates off (the harness kiosk): nothing at all.
    await expect(notice).toHaveCount(0)

    kiosk.events.emit('update.state', downloaded({ status: 'downloading', decision: null, progress: 42 }))
    await expect(notice).toContainText('Mengunduh pembaruan Posko versi 1.5.0')
    await expect(notice.getByRole('progressbar', { name: 'Kemajuan unduhan pembaruan' })).toHaveAttribute('aria-valuenow', '42')

    kiosk.events.emit('update.state', downloaded())
    await expect(notice).toContainText('Pembaruan versi 1.5.0 siap dipasang')
    await expect(notice).toContainText('Menunggu: ada formulir pendaftaran yang sedang diisi.')
    await expectNoSeriousViolations(page, 'update notice')

    // "Batal" leaves everything as it was; Esc would too (native dialog).
    const install = notice.getByRole('button', { name: 'Pasang sekarang' })
    await install.click()
    const dialog = page.getByRole('dialog', { name: 'Pasang versi 1.5.0 sekarang?' })
    await expect(dialog).toContainText('Posko akan ditutup dan dimulai ulang')
    await expect(dialog.getByRole('button', { name: 'Batal' })).toBeFocused()
    await expectNoSeriousViolations(page, 'install confirmation')
    await dialog.getByRole('button', { name: 'Batal' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(install).toBeFocused()

    // The kiosk still waits while a form is open: the answer says why.
    let asked = 0
    kiosk.updates.installNow = () => {
      asked++
      return downloaded()
    }
    await install.click()
    await dialog.getByRole('button', { name: 'Pasang dan mulai ulang' }).click()
    await expect(notice.getByRole('alert')).toHaveText('Belum dipasang. Menunggu: ada formulir pendaftaran yang sedang diisi. Pembaruan dipasang setelah pendaftaran selesai.')
    expect(asked).toBe(1)

    kiosk.events.emit('update.state', downloaded({ status: 'installing', decision: { action: 'install-now', reason: 'requested' } }))
    await expect(notice).toContainText('Memasang pembaruan versi 1.5.0')
    await expect(notice).toContainText('Posko akan ditutup dan dimulai ulang sebentar lagi.')

    kiosk.events.emit(
      'update.state',
      downloaded({ status: 'error', decision: null, availableVersion: null, lastError: { code: 'ERR_CHECKSUM_MISMATCH', message: 'sha512 checksum mismatch', at: '2025-03-04T05:06:07.000Z' } }),
    )
    await expect(notice).toContainText('Pembaruan Posko tidak berhasil')
    await expect(notice).toContainText('File pembaruan rusak saat diunduh (checksum tidak cocok). (kode ERR_CHECKSUM_MISMATCH)')
    await expectNoSeriousViolations(page, 'update error notice')

    kiosk.events.emit('update.state', downloaded({ status: 'disabled', disabledReason: 'no_feed', decision: null, availableVersion: null }))
    await expect(notice).toHaveCount(0)
  })

  test.describe('for an operator', () => {
    test.use({ signedInAs: 'operator' })
    test('tells of the update without offering to install it', async ({ app, kiosk }) => {
      const { page } = app
      await expect(mainNav(page)).toBeVisible()
      await expect((await openMenu(page)).getByRole('button', { name: 'Diagnostik' })).toHaveCount(0)
      kiosk.events.emit('update.state', downloaded({ decision: { action: 'wait', reason: 'upload_running' } }))
      const notice = page.getByRole('region', { name: 'Pemberitahuan pembaruan' })
      await expect(notice).toContainText('Pembaruan versi 1.5.0 siap dipasang')
      await expect(notice).toContainText('Menunggu: pengiriman ke pusat sedang berjalan.')
      await expect(notice.getByRole('button')).toHaveCount(0)
    })
  })
})

test.describe('draft state for updates', () => {
  test('a form with input is reported open, and closed on leaving the screen or signing out', async ({ app, kiosk }) => {
    const { page } = app
    const draftOpen = () => kiosk.activity.snapshot().draftOpen
    await open(page, 'Pendaftaran baru')
    // Focus lands on the step's first field (issue 19.4), the first consent tick.
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).toBeFocused()
    // An empty form holds nobody's data: an update may still restart the app.
    expect(draftOpen()).toBe(false)

    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await page.getByRole('button', { name: 'Lanjut' }).click()
    await page.getByRole('textbox', { name: 'NIK', exact: true }).fill('3578 0141 0190 0003')
    await expect.poll(draftOpen).toBe(true)

    await open(page, 'Beranda')
    // A started registration is never dropped unasked (issue 19.2, desk.spec.ts): "Buang" discards it.
    await page.getByRole('dialog', { name: 'Tinggalkan pendaftaran ini?' }).getByRole('button', { name: 'Buang' }).click()
    await expect.poll(draftOpen).toBe(false)

    await open(page, 'Pendaftaran baru')
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await expect.poll(draftOpen).toBe(true)
    await page.getByRole('group', { name: 'Petugas yang sedang masuk' }).getByRole('button', { name: 'Keluar' }).click()
    // Signing out asks first too (issue 19.2); "Buang" drops the draft and signs out.
    await page.getByRole('dialog', { name: 'Tinggalkan pendaftaran ini?' }).getByRole('button', { name: 'Buang' }).click()
    await expect(page.getByLabel('ID petugas')).toBeVisible()
    await expect.poll(draftOpen).toBe(false)
  })
})

test.describe('draft state on a self-service kiosk', () => {
  test.use({ config: { ...testConfig, mode: 'self-service' }, signedInAs: null })

  test("an applicant's first tick opens it, and the idle wipe closes it", async ({ app, kiosk }) => {
    const { page } = app
    const draftOpen = () => kiosk.activity.snapshot().draftOpen
    await page.clock.install()
    await page.reload()
    await expect(page.getByRole('heading', { level: 1, name: 'Selamat datang' })).toBeVisible()
    expect(draftOpen()).toBe(false)
    await page.getByLabel('Saya setuju data pribadi saya diproses').check()
    await expect.poll(draftOpen).toBe(true)
    // idle.warnSeconds 60, then idle.resetSeconds 90: the shell forgets the applicant by unmounting the flow.
    await page.clock.fastForward('01:01')
    await page.clock.fastForward('00:30')
    await expect(page.getByLabel('Saya setuju data pribadi saya diproses')).not.toBeChecked()
    await expect.poll(draftOpen).toBe(false)
  })
})

test.describe('receipt printing without a kiosk printer', () => {
  test('"Cetak" falls back to the browser print dialog, after which "Simpan PDF" is gone', async ({ app, kiosk }) => {
    const { page } = app
    // Counts the browser's print() instead of opening its dialog.
    await page.addInitScript(() => {
      const counted = window as unknown as { printCalls: number }
      counted.printCalls = 0
      window.print = () => {
        counted.printCalls++
      }
    })
    await page.reload()
    await registerThroughTheUi(page)
    expect(kiosk.activity.snapshot().draftOpen).toBe(false)

    // Offered until the kiosk's first answer: asking whether it can print would itself print or open a dialog.
    const actions = page.getByRole('main')
    await expect(actions.getByRole('button', { name: 'Simpan PDF' })).toBeVisible()
    await actions.getByRole('button', { name: 'Cetak' }).click()
    await expect.poll(() => page.evaluate(() => (window as unknown as { printCalls: number }).printCalls)).toBe(1)
    await expect(actions.getByRole('button', { name: 'Simpan PDF' })).toHaveCount(0)
    await expectNoSeriousViolations(page, 'receipt after print')
  })
})

/** The shortest assisted registration the kiosk accepts (photos are optional in the test config). */
async function registerThroughTheUi(page: Page) {
  const next = () => page.getByRole('button', { name: 'Lanjut' }).click()
  const step = (name: string) => expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible()
  await open(page, 'Pendaftaran baru')
  await page.getByLabel('Saya setuju data pribadi saya diproses').check()
  await page.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
  await next()
  await page.getByRole('textbox', { name: 'NIK', exact: true }).fill('3578 0141 0190 0003')
  await expect(page.getByLabel('Kecamatan')).toHaveValue('35.78.01')
  await next()
  await step('Identitas')
  await page.getByLabel('Nama lengkap sesuai KTP').fill('Siti Rahayu')
  await page.getByLabel('Tempat lahir').fill('Surabaya')
  await next()
  await step('Alamat')
  await fillAddress(page)
  await next()
  await step('Kontak')
  await page.getByLabel('Nomor HP').fill('0812 3456 7890')
  await next()
  await step('Pekerjaan dan pendidikan')
  await page.getByLabel('Status pekerjaan').selectOption({ label: 'Pencari kerja' })
  await page.getByLabel('Pendidikan terakhir').selectOption({ label: 'SMA/SMK/sederajat' })
  await next()
  await step('Foto')
  await next()
  await step('Periksa kembali')
  await page.getByRole('button', { name: 'Kirim' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Tanda terima' })).toBeFocused()
}
