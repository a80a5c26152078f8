import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from '@playwright/test'
import type { DriveFinderOptions } from '../../main/services/storage/drives'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { startWebServer } from '../../main/web/server'
import type { TestCentral } from '../central/testkit'
import { startTestCentral, SURABAYA } from '../central/testkit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { expect, fakeMedia, root, STAFF, test, testConfig } from './harness'

/**
 * Issue 22.3/22.4 in the browser, one flow: a one-desk post's supervisor designates the USB stick from the home
 * screen's panel by keyboard, the panel says when the stick is pulled out (Indonesian, then English); the desk dies,
 * and its reinstalled successor restores from the stick on "Cadangan & pemulihan" by touch, seeing what came back.
 * axe on each state in both languages. Real kiosks enrolled to the reference central; the stick is a folder the
 * drive finder's mount table lists (the unit tests use real loop-mounted filesystems).
 */
const openDesk = (dataDir: string, drives: DriveFinderOptions) =>
  createTestKiosk({
    dataDir,
    config: { ...testConfig, postId: SURABAYA.postId },
    version: '0.0.0-test',
    logger: createMemoryLogger(),
    resourcesDir: join(root, 'resources'),
    drives,
    heartbeat: { autoStart: false, afterUploads: false },
    upload: { autoStart: false },
    stick: { autoStart: false },
  })

async function enrolDesk(central: TestCentral['central'], drives: DriveFinderOptions): Promise<{ kiosk: TestKiosk; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-desk-'))
  const first = openDesk(dataDir, drives)
  for (const role of ['supervisor', 'it'] as const) {
    await first.sessions.createOperator({ operatorId: STAFF[role].id, name: STAFF[role].name, role, pin: STAFF[role].pin })
  }
  await first.sessions.signIn(STAFF.it.id, STAFF.it.pin)
  const enrolled = await first.dispatch('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code }, { transport: 'test' })
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.error))
  first.close()
  const kiosk = openDesk(dataDir, drives)
  await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
  return { kiosk, dataDir }
}

async function pageFor(context: BrowserContext, kiosk: TestKiosk, url: string): Promise<Page> {
  await context.exposeBinding('__poskoInvoke', (_source, channel: unknown, input: unknown) => kiosk.dispatch(channel, input, { transport: 'test' }))
  const unsubscribe = kiosk.events.subscribe((name, payload) => {
    void context.pages()[0]?.evaluate(([n, p]) => window.__poskoEmit?.(n as string, p), [name, payload] as const).catch(() => undefined)
  })
  context.on('close', unsubscribe)
  const page = await context.newPage()
  await page.goto(url)
  return page
}

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

const language = (page: Page, name: 'English' | 'Bahasa Indonesia') => page.getByRole('group', { name: /^(Bahasa|Language)$/ }).getByRole('button', { name }).click()

test('a one-desk post: designate the stick, see it pulled out, and restore a dead desk from it', async ({ browser }) => {
  test.setTimeout(120_000)
  const env = await startTestCentral()
  const media = fakeMedia('KINGSTON')
  const mountTable = (media.drives as { mountsFile: string }).mountsFile
  const server = await startWebServer({ rendererDir: join(root, 'dist', 'renderer'), bridgeFile: join(root, 'dist', 'web', 'bridge.js'), logger: createMemoryLogger() })
  const contexts: BrowserContext[] = []
  const desks: Array<{ kiosk: TestKiosk; dataDir: string }> = []
  try {
    const old = await enrolDesk(env.central, media.drives)
    desks.push(old)
    for (const n of [1, 2]) {
      const r = await old.kiosk.dispatch('registration.submit', { draft: makeDraft({ nik: nikFor(n) }) }, { transport: 'test' })
      expect(r.ok).toBe(true)
    }
    contexts.push(await browser.newContext())
    const page = await pageFor(contexts[0]!, old.kiosk, server.url)

    // Home: no stick yet; the supervisor's way there is a button on the panel, by keyboard.
    const panel = page.getByRole('region', { name: 'Flashdisk cadangan' })
    await expect(panel).toContainText('Belum ada flashdisk cadangan')
    await panel.getByRole('button', { name: 'Atur flashdisk cadangan' }).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1, name: 'Cadangan & pemulihan' })).toBeVisible()
    const card = page.getByRole('region', { name: 'Flashdisk cadangan' })
    // The one stick the kiosk sees is chosen already.
    await expect(card.getByRole('radio', { name: /KINGSTON/ })).toBeChecked()
    await card.getByRole('button', { name: 'Jadikan flashdisk cadangan' }).focus()
    await page.keyboard.press('Enter')
    await expect(card.getByRole('status').filter({ hasText: 'Flashdisk KINGSTON sekarang menjadi cadangan meja ini.' })).toBeVisible()
    await expect(card).toContainText('Flashdisk KINGSTON menyimpan semua pendaftaran yang belum diterima server pusat.')
    await expectNoSeriousViolations(page, 'backup screen, stick designated (id)')

    // Pulled out: the home panel says so, as an alert, in both languages.
    writeFileSync(mountTable, '/dev/vda1 / ext4 rw 0 0\n')
    expect(await old.kiosk.stick.pass()).toMatchObject({ state: 'missing' })
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('button', { name: 'Menu', exact: true }).click()
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('button', { name: 'Beranda' }).click()
    await expect(panel.getByRole('alert')).toHaveText('Flashdisk cadangan KINGSTON tidak terpasang. Pasang kembali, atau jadikan flashdisk lain sebagai cadangan.')
    await expect(page.getByRole('region', { name: 'Cadangan di meja lain' })).toContainText('2 pendaftaran belum aman')
    await expectNoSeriousViolations(page, 'home, stick missing (id)')
    await language(page, 'English')
    await expect(page.getByRole('region', { name: 'Backup stick' }).getByRole('alert')).toHaveText('The backup stick KINGSTON is not plugged in. Plug it back in, or designate another stick.')
    await expectNoSeriousViolations(page, 'home, stick missing (en)')
    await language(page, 'Bahasa Indonesia')

    // The desk dies. Its successor, enrolled again (a new kiosk id), restores from the stick plugged into it, by touch.
    old.kiosk.close()
    desks.shift()
    writeFileSync(mountTable, `/dev/vda1 / ext4 rw 0 0\n/dev/sdb1 ${media.stick} vfat rw 0 0\n`)
    const fresh = await enrolDesk(env.central, media.drives)
    desks.push(fresh)
    contexts.push(await browser.newContext({ hasTouch: true }))
    const freshPage = await pageFor(contexts[1]!, fresh.kiosk, server.url)
    await freshPage.getByRole('region', { name: 'Flashdisk cadangan' }).getByRole('button', { name: 'Atur flashdisk cadangan' }).tap()
    const restore = freshPage.getByRole('region', { name: 'Pulihkan meja lama' })
    // From the other desks, the roster's desk that is not connected (the dead one) is offered first.
    await expect(restore.getByRole('radio', { name: /^Meja \d+ \(tidak tersambung\)$/ })).toBeChecked()
    await expectNoSeriousViolations(freshPage, 'restore from the other desks (id)')
    await restore.getByRole('radio', { name: 'Flashdisk cadangan' }).tap()
    await expect(restore.getByRole('radio', { name: /: 2 pendaftaran$/ })).toBeChecked()
    await expectNoSeriousViolations(freshPage, 'restore from a stick (id)')
    await restore.getByRole('button', { name: 'Pulihkan' }).tap()
    await expect(restore.getByRole('status').filter({ hasText: 'Pemulihan selesai.' })).toBeVisible()
    await expect(restore.locator('[data-restore="records"]')).toHaveText('2')
    await expect(restore.locator('[data-restore="accepted"]')).toHaveText('2')
    await expect(restore.locator('[data-restore="failed"]')).toHaveText('0')
    await language(freshPage, 'English')
    const restored = freshPage.getByRole('region', { name: 'Restore an old desk' })
    await expect(restored).toContainText('from the backup stick')
    await expect(restored.locator('[data-restore="accepted"]')).toHaveText('2')
    await expectNoSeriousViolations(freshPage, 'restore done (en)')
  } finally {
    for (const context of contexts) await context.close()
    for (const desk of desks) desk.kiosk.close()
    for (const desk of desks) rmSync(desk.dataDir, { recursive: true, force: true })
    await server.close()
    await env.dispose()
    media.remove()
  }
})
