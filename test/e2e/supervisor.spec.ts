import AxeBuilder from '@axe-core/playwright'
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { makeDraft } from '../fixtures/drafts'
import { expect, STAFF, test, openMenu } from './harness'
import { screenshot } from './screenshots'

/**
 * The supervisor's screens against the real services: staff accounts ("Petugas") and the hash-chained audit log
 * ("Log audit") with its chain check and CSV export. The harness signs the supervisor in before the page opens.
 */
async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}


async function open(page: Page, screen: 'Petugas' | 'Log audit') {
  await (await openMenu(page)).getByRole('button', { name: screen }).click()
  await expect(page.getByRole('heading', { level: 1, name: screen })).toBeFocused()
}

const newcomer = { id: 'op-malang-2', name: 'Bayu Pratama', pin: '580317' }

test.describe('supervisor: staff accounts', () => {
  test('creates an operator, refuses a taken ID and an easy PIN, and deactivates them', async ({ app, kiosk }) => {
    const { page } = app
    await open(page, 'Petugas')
    const form = page.getByRole('region', { name: 'Tambah petugas' })
    await form.getByLabel('ID petugas').fill(STAFF.operator.id)
    await form.getByLabel('Nama').fill(newcomer.name)
    await form.getByLabel('PIN', { exact: true }).fill('111111')
    await form.getByLabel('Ulangi PIN').fill('111112')
    await form.getByRole('button', { name: 'Tambah petugas' }).click()
    await expect(form.getByText('Kedua PIN tidak sama.')).toBeVisible()

    // The kiosk checks the ID first, then the PIN.
    await form.getByLabel('Ulangi PIN').fill('111111')
    await form.getByRole('button', { name: 'Tambah petugas' }).click()
    await expect(form.getByText('ID petugas ini sudah dipakai.')).toBeVisible()
    await expect(form.getByLabel('ID petugas')).toBeFocused()

    await form.getByLabel('ID petugas').fill(newcomer.id)
    await form.getByLabel('PIN', { exact: true }).fill('111111')
    await form.getByLabel('Ulangi PIN').fill('111111')
    await form.getByRole('button', { name: 'Tambah petugas' }).click()
    await expect(form.getByText('PIN terlalu mudah ditebak')).toBeVisible()
    await expect(form.getByLabel('PIN', { exact: true })).toBeFocused()
    await expectNoSeriousViolations(page, 'operators with errors')

    await form.getByLabel('PIN', { exact: true }).fill(newcomer.pin)
    await form.getByLabel('Ulangi PIN').fill(newcomer.pin)
    await form.getByRole('radio', { name: 'Supervisor' }).check()
    await form.getByRole('radio', { name: 'Operator' }).check()
    await form.getByRole('button', { name: 'Tambah petugas' }).click()
    await expect(page.getByRole('status').filter({ hasText: `Petugas ${newcomer.name} ditambahkan.` })).toBeVisible()
    // The form is empty again for the next account.
    await expect(form.getByLabel('ID petugas')).toHaveValue('')
    await expect(form.getByLabel('PIN', { exact: true })).toHaveValue('')
    const row = page.getByRole('row', { name: new RegExp(newcomer.id) })
    await expect(row).toContainText(newcomer.name)
    await expect(row).toContainText('Operator')
    await expect(row).toContainText('Aktif')

    // A supervisor can't switch themselves off: their own row offers no "Nonaktifkan".
    await expect(page.getByRole('row', { name: new RegExp(STAFF.supervisor.id) }).getByRole('button')).toHaveCount(0)

    await row.getByRole('button', { name: `Nonaktifkan ${newcomer.name}` }).click()
    await expect(page.getByRole('status').filter({ hasText: `${newcomer.name} dinonaktifkan.` })).toBeVisible()
    await expect(row).toContainText('Nonaktif')
    expect(kiosk.sessions.listOperators().find((o) => o.id === newcomer.id)).toMatchObject({ active: false, role: 'operator' })

    // Deactivated means the right PIN no longer opens the kiosk.
    await page.getByRole('group', { name: 'Petugas yang sedang masuk' }).getByRole('button', { name: 'Keluar' }).click()
    await page.getByLabel('ID petugas').fill(newcomer.id)
    await page.getByLabel('PIN', { exact: true }).fill(newcomer.pin)
    await page.getByRole('button', { name: 'Masuk', exact: true }).click()
    await expect(page.getByRole('alert')).toHaveText('ID petugas atau PIN salah.')
    expect(kiosk.sessions.state().status).toBe('signed_out')
  })

  test('re-activates an operator', async ({ app, kiosk }) => {
    await kiosk.sessions.setActive(STAFF.it.id, false)
    const { page } = app
    await open(page, 'Petugas')
    const row = page.getByRole('row', { name: new RegExp(STAFF.it.id) })
    await expect(row).toContainText('Nonaktif')
    await row.getByRole('button', { name: `Aktifkan ${STAFF.it.name}` }).click()
    await expect(page.getByRole('status').filter({ hasText: `${STAFF.it.name} diaktifkan.` })).toBeVisible()
    await expect(row.getByRole('button', { name: `Nonaktifkan ${STAFF.it.name}` })).toBeVisible()
  })
})

test.describe('supervisor: audit log', () => {
  test('shows sign-ins, filters by activity, says the chain is intact and exports the rows on screen as CSV', { tag: '@screenshot' }, async ({ app, kiosk }) => {
    // A second sign-in and a failed one, so the log has more than the harness's sign-in.
    await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
    await kiosk.sessions.signIn(STAFF.operator.id, '000000').catch(() => undefined)
    // A registration and an edit of it: the log names the receipt and the fields in words (issue 19.9).
    await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
    const submitted = await kiosk.call('registration.submit', { draft: makeDraft() })
    if (!submitted.ok) throw new Error(`submit failed: ${JSON.stringify(submitted.error)}`)
    const { id, receiptNo } = submitted.value as { id: string; receiptNo: string }
    expect((await kiosk.call('registration.update', { id, draft: makeDraft({ phone: '0813 1111 2222', email: null }) })).ok).toBe(true)
    const { page } = app
    await open(page, 'Log audit')
    const rows = page.getByRole('table').getByRole('row')
    await expect(rows.filter({ hasText: 'Gagal masuk' })).toHaveCount(1)
    await expect(rows.filter({ hasText: 'Gagal masuk' })).toContainText('PIN salah (percobaan ke-1)')
    await expect(page.getByRole('columnheader', { name: 'Nomor tanda terima' })).toBeVisible()
    await expect(rows.filter({ hasText: 'Pendaftaran baru' })).toContainText(receiptNo)
    await expect(rows.filter({ hasText: 'Perubahan data' })).toContainText(`${receiptNo}`)
    await expect(rows.filter({ hasText: 'Perubahan data' })).toContainText('Diubah: Nomor HP, Email')
    // Words, not keys and ids: no record UUID, no `key: value` details anywhere in the table.
    const table = (await page.getByRole('table').innerText()).toLowerCase()
    expect(table).not.toContain(id)
    expect(table).not.toMatch(/\b(fields|kind|found|list|reason|attempt|known|seconds|records|photos|mode|setup|operator_created|operator|active|setting|postid): /)
    await page.getByRole('button', { name: 'Periksa keutuhan log' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Rantai utuh: 11 baris diperiksa, tidak ada yang diubah atau dihapus.' })).toBeVisible()
    await expectNoSeriousViolations(page, 'audit')
    await screenshot(page, 'audit-id', { fullPage: true })


    await page.getByLabel('Jenis kegiatan').selectOption({ label: 'Masuk' })
    await page.getByRole('button', { name: 'Tampilkan', exact: true }).click()
    await expect(page.getByRole('heading', { name: '3 baris ditampilkan' })).toBeVisible()
    // Newest first, each with who and when.
    await expect(rows.nth(1)).toContainText(STAFF.supervisor.id)
    await expect(rows.nth(1)).toContainText('Masuk')
    await expect(rows.filter({ hasText: 'Gagal masuk' })).toHaveCount(0)


    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Ekspor CSV' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^audit-JT-3578-01-\d{8}-\d{4}\.csv$/)
    const csv = await readFile(await file.path(), 'utf8')
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe('seq,at,actor,action,record_id,receipt_no,details')
    // Exactly the rows on screen: the three sign-ins the filter shows.
    expect(lines.slice(1).map((line) => line.split(',').slice(2, 4).join(','))).toEqual([`${STAFF.supervisor.id},sign_in`, `${STAFF.supervisor.id},sign_in`, `${STAFF.supervisor.id},sign_in`])
    await expect(page.getByRole('status').filter({ hasText: `File ${file.suggestedFilename()} diunduh.` })).toBeVisible()
  })

  test('pages back through older rows, 50 at a time', async ({ app, kiosk }) => {
    // Each search writes one audit row: 60 of them, the sign-in and the three accounts made make 64, two pages.
    for (let i = 0; i < 60; i++) await kiosk.call('registration.find', { query: '3578014101900003' })
    const { page } = app
    await open(page, 'Log audit')
    await expect(page.getByRole('heading', { name: '50 baris ditampilkan' })).toBeVisible()
    await page.getByRole('button', { name: 'Tampilkan yang lebih lama' }).click()
    await expect(page.getByRole('heading', { name: '64 baris ditampilkan' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Tampilkan yang lebih lama' })).toHaveCount(0)
    await expect(page.getByRole('table').getByRole('row').last()).toContainText('Perubahan pengaturan')
  })

  test('names the first broken row when the log was edited behind its back', async ({ app, kiosk }) => {
    await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
    // What someone with the database file could do: drop the append-only trigger and rewrite a row.
    kiosk.store.tamperAudit(2, 'op-e2e')
    const { page } = app
    await open(page, 'Log audit')
    await page.getByRole('button', { name: 'Periksa keutuhan log' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Rantai rusak mulai baris 2: isi baris telah diubah. Laporkan ke petugas TI.' })).toBeVisible()
  })
})
