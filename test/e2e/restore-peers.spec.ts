import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import type { TestCentral } from '../central/testkit'
import { startTestCentral } from '../central/testkit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import type { BackupStatusAnswer } from '../../common/backup'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import type { E2eDesk } from './enrolled-desks'
import { postDesksForE2e } from './enrolled-desks'
import { expect, holdCalls, STAFF, test } from './harness'

/**
 * Issue 22.4 in the browser, from the other desks (backup-stick.spec.ts has the stick): desk 1 of a three-desk post
 * dies, its data folder gone, with three registrations central never saw; desks 2 and 3 hold them as sealed bundles
 * (22.1). Its successor, enrolled again (a new kiosk id), restores them on "Cadangan & pemulihan" by keyboard: the
 * dead desk is offered first, the bar counts what goes to central from the kiosk's own events, the card says what
 * central did, in Indonesian then English; axe on each state. Real kiosks enrolled to the reference central, mutual
 * TLS on loopback; the harness's page bridge only holds the restore's answer so the running state can be looked at.
 */
interface DeadDesk {
  env: TestCentral
  /** Desk 1, which died, and its registrations central never saw. */
  oldKioskId: string
  recordIds: string[]
  /** Desks 2 and 3, which hold them. */
  peers: E2eDesk[]
  /** Desk 1's successor, enrolled again, on the post network with desks 2 and 3; a supervisor signed in. */
  successor: E2eDesk
}

async function heldForOthers(kiosk: TestKiosk): Promise<number> {
  const status = await kiosk.call('backup.status')
  if (!status.ok) throw new Error(JSON.stringify(status.error))
  return (status.value as BackupStatusAnswer).backup?.heldForOthers.bundles ?? 0
}

const afterDeskDied = test.extend<{ post: DeadDesk }>({
  post: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const env = await startTestCentral()
      const [old, ...peers] = (await postDesksForE2e(env.central, 3)) as [E2eDesk, E2eDesk, E2eDesk]
      for (const desk of [old, ...peers]) {
        await desk.kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
        await desk.kiosk.network.start()
      }
      const recordIds: string[] = []
      for (const n of [1, 2, 3]) {
        const submitted = await old.kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(n) }) })
        if (!submitted.ok) throw new Error(JSON.stringify(submitted.error))
        recordIds.push((submitted.value as { id: string }).id)
      }
      await expect.poll(() => Promise.all(peers.map((p) => heldForOthers(p.kiosk))), { timeout: 15_000 }).toEqual([3, 3])
      // The desk dies: its kiosk stops and its data folder is deleted.
      old.close()
      const [successor] = (await postDesksForE2e(env.central, 1, { alsoDial: peers.map((p) => `127.0.0.1:${p.port}`) })) as [E2eDesk]
      // Desks 2 and 3 learn the successor from their next heartbeat's roster.
      for (const desk of peers) expect(await desk.kiosk.heartbeat.send()).toMatchObject({ ok: true })
      await successor.kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
      await successor.kiosk.network.start()
      await expect.poll(() => successor.kiosk.network.mesh()?.connected().length ?? 0, { timeout: 15_000 }).toBe(2)
      await use({ env, oldKioskId: old.kioskId, recordIds, peers, successor })
      for (const desk of [successor, ...peers]) desk.close()
      await env.dispose()
    },
    // Four enrolments and the backup between desks before the page opens.
    { timeout: 60_000 },
  ],
  kiosk: async ({ post }, use) => use(post.successor.kiosk),
})

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])
}

afterDeskDied('a dead desk\'s successor gets its registrations back from the other desks by keyboard: progress, what central did, both languages', async ({ app, post }) => {
  const { page } = app
  const { env, successor } = post
  for (const id of post.recordIds) expect((await env.client.getRegistration(id)).status).toBe(404)
  const progress: unknown[] = []
  successor.kiosk.events.subscribe((name, payload) => {
    if (name === 'backup.progress') progress.push(payload)
  })
  const restoreCall = await holdCalls(page, 'backup.restore', 'answer')
  await page.reload()

  // The supervisor opens "Cadangan & pemulihan" from the main menu with the keyboard.
  const nav = page.getByRole('navigation', { name: 'Menu utama' })
  await nav.getByRole('button', { name: 'Menu', exact: true }).focus()
  await page.keyboard.press('Enter')
  await nav.getByRole('button', { name: 'Cadangan & pemulihan' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Cadangan & pemulihan' })).toBeFocused()

  // From the other desks (the default): the roster's desks but this one, the one not connected (the dead one) chosen.
  const card = page.getByRole('region', { name: 'Pulihkan meja lama' })
  await expect(card.getByRole('radio', { name: 'Meja lain di posko ini' })).toBeChecked()
  const oldDesk = card.getByRole('radio', { name: 'Meja 1 (tidak tersambung)' })
  await expect(oldDesk).toBeChecked()
  const desks = card.getByRole('radio', { name: /^Meja \d/ })
  await expect(desks).toHaveCount(3)
  for (const [i, name] of ['Meja 1 (tidak tersambung)', 'Meja 2 (tersambung)', 'Meja 3 (tersambung)'].entries()) await expect(desks.nth(i)).toHaveAccessibleName(name)
  await expectNoSeriousViolations(page, 'restore from the other desks (id)')
  await oldDesk.focus()
  await page.keyboard.press('Tab')
  await expect(card.getByRole('button', { name: 'Pulihkan', exact: true })).toBeFocused()
  await page.keyboard.press('Enter')

  // Running: the successor fetched from both desks and sent each record to central; the bar counts them from the
  // kiosk's events (the answer is held back so the running state stays on screen).
  const bar = card.getByRole('progressbar', { name: 'Pemulihan', exact: true })
  await expect(bar).toHaveAttribute('aria-valuenow', '3', { timeout: 15_000 })
  await expect(bar).toHaveAttribute('aria-valuemax', '3')
  await expect(bar).toContainText('3 dari 3 dikirim')
  await expect(card.getByRole('button', { name: 'Memulihkan…' })).toBeDisabled()
  expect(progress).toEqual([0, 1, 2, 3].map((done) => ({ done, total: 3 })))
  await expectNoSeriousViolations(page, 'restore running (id)')
  await restoreCall.release()

  await expect(card.getByRole('status').filter({ hasText: 'Pemulihan' })).toHaveText('Pemulihan selesai.')
  await expect(bar).toHaveCount(0)
  await expect(card.getByRole('button', { name: 'Pulihkan', exact: true })).toBeEnabled()
  const result = card.locator('[data-restore="result"]')
  await expect(result).toContainText('dari meja lain')
  for (const [field, shown] of [['desks', '2'], ['records', '3'], ['accepted', '3'], ['duplicate', '0'], ['rejected', '0'], ['failed', '0']] as const) {
    await expect(result.locator(`[data-restore="${field}"]`), field).toHaveText(shown)
  }
  await expectNoSeriousViolations(page, 'restore done (id)')
  // Central holds each now; the restore is audited at the successor, naming the old desk.
  for (const id of post.recordIds) expect((await env.client.getRegistration(id)).status).toBe(200)
  const audited = successor.kiosk.audit.list().filter((row) => row.action === 'restore_desk')
  expect(audited).toHaveLength(1)
  expect(JSON.parse(audited[0]!.details)).toMatchObject({ kioskId: post.oldKioskId, desks: 2, records: 3, accepted: 3 })

  await page.getByRole('group', { name: 'Bahasa' }).getByRole('button', { name: 'English' }).click()
  const english = page.getByRole('region', { name: 'Restore an old desk' })
  await expect(english.getByRole('status').filter({ hasText: 'Restore' })).toHaveText('Restore finished.')
  await expect(english.getByRole('radio', { name: 'Meja 1 (not connected)' })).toBeChecked()
  const resultEn = english.locator('[data-restore="result"]')
  await expect(resultEn).toContainText('from other desks')
  await expect(resultEn).toContainText('Accepted by central')
  await expect(resultEn.locator('[data-restore="accepted"]')).toHaveText('3')
  await expectNoSeriousViolations(page, 'restore done (en)')
})
