import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from '@playwright/test'
import type { Receipt } from '../../common/records'
import type { Result } from '../../common/result'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { startWebServer } from '../../main/web/server'
import type { TestCentral } from '../central/testkit'
import { startTestCentral, SURABAYA } from '../central/testkit'
import { makeDraft, MARKERS, nikFor } from '../fixtures/drafts'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { freePorts } from '../fixtures/ports'
import { expect, openMenu, root, STAFF, test, testConfig } from './harness'
import { SCREENSHOT_TIME, screenshot, screenshotNow, screenshotsForDocs } from './screenshots'

/**
 * Issue 21.4 in the browser: two pages, each backed by its own real kiosk (own data dir, TLS port and certificate),
 * both enrolled to the reference central on loopback and joined by the post network. A NIK registered at desk 1 is
 * refused at desk 2's NIK step naming the desk and the receipt; after a split in which both desks accepted one NIK,
 * the anomaly screen lists it on both, a supervisor marks one as the duplicate, and the other desk sees it resolved.
 */
interface DeskUnderTest {
  kiosk: TestKiosk
  dataDir: string
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

async function until(check: () => boolean, what: string, ms = 15_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const openDesk = (dataDir: string, port?: number, peers: string[] = []) =>
  createTestKiosk({
    dataDir,
    config: { ...testConfig, postId: SURABAYA.postId, ...(port ? { network: { port, mdns: false, peers } } : {}) },
    version: '0.0.0-test',
    logger: createMemoryLogger(),
    resourcesDir: join(root, 'resources'),
    drives: { platform: 'linux', mountsFile: join(dataDir, 'no-mount-table') },
    heartbeat: { autoStart: false, afterUploads: false },
    upload: { autoStart: false },
    now: screenshotNow,
    ...(port ? { network: { host: '127.0.0.1', port, mdns: false, roundMs: 100, goneAfterMs: 1500 } } : {}),
  })

/** IT enrols the desk with a one-time code; it is reopened as the app is after enrolment, a supervisor signed in. */
async function enrolDesk(central: TestCentral['central'], port: number, peers: string[]): Promise<DeskUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-desk-'))
  const first = openDesk(dataDir)
  for (const role of ['supervisor', 'it'] as const) {
    await first.sessions.createOperator({ operatorId: STAFF[role].id, name: STAFF[role].name, role, pin: STAFF[role].pin })
  }
  await first.sessions.signIn(STAFF.it.id, STAFF.it.pin)
  value(await first.dispatch('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code }, { transport: 'test' }))
  first.close()
  const kiosk = openDesk(dataDir, port, peers)
  await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
  return { kiosk, dataDir }
}

async function pageFor(context: BrowserContext, kiosk: TestKiosk, url: string): Promise<Page> {
  await context.exposeBinding('__poskoInvoke', (_source, channel: unknown, input: unknown) => kiosk.dispatch(channel, input, { transport: 'test' }))
  const page = await context.newPage()
  if (screenshotsForDocs) await page.clock.install({ time: SCREENSHOT_TIME })
  await page.goto(url)
  return page
}

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

test('two desks: the cross-desk NIK refusal at the NIK step, and the anomaly screen after a split', { tag: '@screenshot' }, async ({ browser }) => {
  test.setTimeout(120_000)
  const env = await startTestCentral()
  const ports = await freePorts(2)
  const addresses = ports.map((p) => `127.0.0.1:${p}`)
  const one = await enrolDesk(env.central, ports[0]!, [addresses[1]!])
  const two = await enrolDesk(env.central, ports[1]!, [addresses[0]!])
  const server = await startWebServer({ rendererDir: join(root, 'dist', 'renderer'), bridgeFile: join(root, 'dist', 'web', 'bridge.js'), logger: createMemoryLogger() })
  const contexts: BrowserContext[] = []
  try {
    // Each desk's roster lists both (the second enrolled after the first heard its roster).
    for (const desk of [one, two]) expect(await desk.kiosk.heartbeat.send()).toMatchObject({ ok: true })
    for (const desk of [one, two]) await desk.kiosk.network.start()
    contexts.push(await browser.newContext(), await browser.newContext())
    const pageOne = await pageFor(contexts[0]!, one.kiosk, server.url)
    const pageTwo = await pageFor(contexts[1]!, two.kiosk, server.url)

    // Registered at desk 1 ("Meja 1"), refused at desk 2's NIK step with the desk, the receipt and the time.
    const nik = nikFor(11)
    const first = value<Receipt>(await one.kiosk.dispatch('registration.submit', { draft: makeDraft({ nik }) }, { transport: 'test' }))
    await until(() => two.kiosk.postLog.otherDesks(nik).length > 0, 'desk 2 knows desk 1\'s registration')
    await pageTwo.getByRole('button', { name: 'Mulai pendaftaran baru' }).click()
    await pageTwo.getByLabel('Saya setuju data pribadi saya diproses').check()
    await pageTwo.getByLabel('Saya menyatakan bahwa data yang saya berikan benar').check()
    await pageTwo.getByRole('button', { name: 'Lanjut', exact: true }).click()
    await pageTwo.getByRole('textbox', { name: 'NIK', exact: true }).pressSequentially(nik)
    const notice = pageTwo.getByRole('alert').filter({ hasText: 'NIK ini sudah terdaftar di posko ini, di perangkat lain' })
    await expect(notice).toContainText(`Didaftarkan di Meja 1`)
    await expect(notice).toContainText(first.receiptNo)
    // Nothing of the applicant came from desk 1: no name in the notice.
    await expect(notice).not.toContainText(MARKERS.name)
    await screenshot(pageTwo, 'nik-other-desk-id')

    // Split: desk 2's network is down; both desks accept one NIK. Heal: both list it.
    await two.kiosk.network.stop()
    const twice = nikFor(12)
    const atOne = value<Receipt>(await one.kiosk.dispatch('registration.submit', { draft: makeDraft({ nik: twice }) }, { transport: 'test' }))
    const atTwo = value<Receipt>(await two.kiosk.dispatch('registration.submit', { draft: makeDraft({ nik: twice }) }, { transport: 'test' }))
    await two.kiosk.network.start()
    for (const desk of [one, two]) await until(() => desk.kiosk.anomalies.list().open === 1, 'the anomaly at both desks')

    const menu = await openMenu(pageOne)
    await menu.getByRole('button', { name: 'NIK ganda' }).click()
    await expect(pageOne.getByRole('heading', { level: 1, name: 'NIK ganda di posko' })).toBeVisible()
    await expect(pageOne.getByText('1 NIK ganda perlu ditangani.')).toBeVisible()
    const card = pageOne.getByRole('region', { name: /NIK ganda 1/ })
    const rowOne = card.getByRole('row').filter({ hasText: atOne.receiptNo })
    const rowTwo = card.getByRole('row').filter({ hasText: atTwo.receiptNo })
    await expect(rowOne).toContainText('Meja 1 (meja ini)')
    await expect(rowOne).toContainText(MARKERS.name.toUpperCase())
    await expect(rowTwo).toContainText('Meja 2')
    await expect(rowTwo).toContainText('Tersimpan di meja lain')
    await expectNoSeriousViolations(pageOne, 'anomaly screen')
    await screenshot(pageOne, 'anomalies-id')
    await pageOne.getByRole('group', { name: 'Bahasa' }).getByRole('button', { name: 'English' }).click()
    await expect(pageOne.getByRole('heading', { level: 1, name: 'NIKs registered twice at this post' })).toBeVisible()
    await expect(pageOne.getByRole('region', { name: /NIK registered twice 1/ }).getByRole('row').filter({ hasText: atTwo.receiptNo })).toContainText('Kept at another desk')
    await expectNoSeriousViolations(pageOne, 'anomaly screen (en)')
    await pageOne.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Bahasa Indonesia' }).click()

    // Desk 2's record is the duplicate: chosen with the keyboard-reachable button and a radio, confirmed.
    await rowTwo.getByRole('button', { name: `Tandai ${atTwo.receiptNo} sebagai duplikat` }).click()
    await expect(card.getByRole('radio', { name: new RegExp(atOne.receiptNo) })).toBeChecked()
    await expectNoSeriousViolations(pageOne, 'anomaly screen, choosing')
    await card.getByRole('button', { name: 'Tandai sebagai duplikat', exact: true }).click()
    await expect(pageOne.getByRole('status').filter({ hasText: `${atTwo.receiptNo} ditandai sebagai duplikat dari ${atOne.receiptNo}.` })).toBeVisible()
    await expect(card.getByText('Selesai', { exact: true })).toBeVisible()
    await expect(pageOne.getByText('Tidak ada NIK ganda yang perlu ditangani.')).toBeVisible()

    // Desk 2 sees it resolved (its own record named, marked at Meja 1).
    await until(() => two.kiosk.anomalies.list().open === 0, 'the mark at desk 2')
    const screenTwo = await contexts[1]!.newPage()
    await screenTwo.goto(server.url)
    await (await openMenu(screenTwo)).getByRole('button', { name: 'NIK ganda' }).click()
    const cardTwo = screenTwo.getByRole('region', { name: /NIK ganda 1/ })
    await expect(cardTwo.getByText('Selesai', { exact: true })).toBeVisible()
    await expect(cardTwo.getByRole('row').filter({ hasText: atTwo.receiptNo })).toContainText(`Duplikat dari ${atOne.receiptNo} (ditandai di Meja 1)`)
    await expect(cardTwo.getByRole('row').filter({ hasText: atTwo.receiptNo })).toContainText('Meja 2 (meja ini)')
  } finally {
    for (const context of contexts) await context.close()
    await server.close()
    for (const desk of [one, two]) {
      await desk.kiosk.network.stop()
      desk.kiosk.close()
      rmSync(desk.dataDir, { recursive: true, force: true })
    }
    await env.dispose()
  }
})
