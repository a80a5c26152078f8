import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { QueueStatus } from '../../common/records'
import { createHeartbeat } from '../../main/services/fleet'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { systemClock } from '../../main/services/platform/clock'
import { heartbeatPath } from '../../main/services/fleet'
import type { Heartbeat } from '../../main/services/fleet'
import type { Central } from '../central/server'
import { createDemoPosts, DEMO_POST_ID, startCentral } from '../central/server'
import { postDesksForE2e } from './enrolled-desks'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { root, STAFF, testConfig } from './harness'
import { screenshot } from './screenshots'

/**
 * IT's fleet page against the reference central, with a real kiosk's heartbeat in it: the kiosk registers, uploads
 * (`runOnce`), registers two more, then sends its heartbeat (the lead wires the sender into the kiosk later; here it
 * is called directly after the upload run, as the kiosk will).
 */
const VERSION = '0.9.0-e2e'
const HOUR = 60 * 60 * 1000

let central: Central
let centralDir: string
let kioskDir: string
/** Central's clock: the other demo posts' heartbeats are sent "earlier" so some of them are stale. */
let offsetMs = 0

test.beforeAll(async () => {
  centralDir = mkdtempSync(join(tmpdir(), 'posko-e2e-central-'))
  kioskDir = mkdtempSync(join(tmpdir(), 'posko-e2e-kiosk-'))
  createDemoPosts(centralDir)
  central = await startCentral({ dataDir: centralDir, now: () => new Date(Date.now() + offsetMs) })
})

test.afterAll(async () => {
  await central.close()
  rmSync(centralDir, { recursive: true, force: true })
  rmSync(kioskDir, { recursive: true, force: true })
})

/** Other posts report too, so the page looks like a Monday morning: most current, a few behind, a few silent. */
async function otherPostsReport() {
  const beat = (version: string, queued: number, offline: boolean): Heartbeat => {
    const at = new Date(Date.now() + offsetMs)
    return {
      version,
      sentAt: at.toISOString(),
      queue: { queued: offline ? 14 + queued : queued, uploading: 0, accepted: 120 + queued, duplicate: 2, rejected: queued % 3, exported: 0, purged: 40 },
      uploadStatus: offline ? 'offline' : 'idle',
      lastSyncAt: new Date(at.getTime() - (offline ? 5 * HOUR : 10 * 60_000)).toISOString(),
      diskFreeBytes: (20 + queued) * 1024 ** 3,
      lastError: offline ? 'network' : null,
    }
  }
  const others = central.posts.filter((p) => p.postId !== DEMO_POST_ID)
  for (const [i, post] of others.entries()) {
    if (i % 11 === 10) continue // never seen
    offsetMs = i % 7 === 6 ? -3 * HOUR : -Math.min(i, 50) * 60_000
    const res = await fetch(`${central.url}${heartbeatPath(post.postId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${post.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(beat(i % 5 === 4 ? '0.8.3' : VERSION, i % 4, i % 9 === 8)),
    })
    expect(res.status).toBe(200)
  }
  offsetMs = 0
}

test('the fleet page lists the 56 demo posts and shows a kiosk\'s heartbeat after it uploads', { tag: '@screenshot' }, async ({ page }) => {
  await otherPostsReport()

  const token = central.posts.find((p) => p.postId === DEMO_POST_ID)!.token
  const kiosk = createTestKiosk({
    dataDir: kioskDir,
    config: { ...testConfig, centralUrl: central.url },
    version: VERSION,
    logger: createMemoryLogger(),
    resourcesDir: join(root, 'resources'),
    centralToken: token,
    retentionSchedule: false,
    upload: { autoStart: false },
    // The test sends the heartbeat itself, below; the kiosk's own (after its upload run, reporting this test kiosk's
    // unprotected key) could arrive after it and turn the row to "Bermasalah" (a CI run on a loaded machine did).
    heartbeat: { autoStart: false, afterUploads: false },
  })
  try {
    await kiosk.sessions.createOperator({ operatorId: STAFF.operator.id, name: STAFF.operator.name, role: 'operator', pin: STAFF.operator.pin })
    await kiosk.sessions.signIn(STAFF.operator.id, STAFF.operator.pin)
    for (let i = 0; i < 3; i++) expect((await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(100 + i) }) })).ok).toBe(true)
    await kiosk.uploader.runOnce()
    // Two more after the run: the queue depth IT sees is 2.
    for (let i = 3; i < 5; i++) expect((await kiosk.call('registration.submit', { draft: makeDraft({ nik: nikFor(100 + i) }) })).ok).toBe(true)
    const status = await kiosk.call('queue.status')
    if (!status.ok) throw new Error(status.error.code)

    const heartbeat = createHeartbeat({
      credentials: () => ({ baseUrl: central.url, token }),
      postId: DEMO_POST_ID,
      version: VERSION,
      queueStatus: () => status.value as QueueStatus,
      uploadState: () => kiosk.uploader.state(),
      dataDir: kioskDir,
      clock: systemClock,
      logger: createMemoryLogger(),
    })
    expect(await heartbeat.send()).toMatchObject({ ok: true })
  } finally {
    kiosk.close()
  }

  await page.setExtraHTTPHeaders({ authorization: `Bearer ${central.adminToken}` })
  await page.goto(`${central.url}/fleet`)
  // Indonesian first (issue 19.9), English one link away.
  await expect(page.getByRole('heading', { level: 1, name: 'Keadaan posko' })).toBeVisible()
  const table = page.getByRole('table', { name: 'Posko dan kabar terakhirnya, yang bermasalah dan yang aktif lebih dulu' })
  // 56 posts plus the header row.
  await expect(table.getByRole('row')).toHaveCount(57)

  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: DEMO_POST_ID, exact: true }) })
  await expect(row).toHaveCount(1)
  const cells = row.getByRole('cell')
  await expect(cells.nth(1)).toHaveText('Baik')
  // The three uploaded before the heartbeat arrived at central today.
  await expect(cells.nth(2)).toHaveText('3')
  await expect(cells.nth(3)).toHaveText(VERSION)
  await expect(cells.nth(4)).toHaveText('2')
  await expect(cells.nth(6)).toHaveText('siap')
  await expect(cells.nth(8)).toHaveText('baru saja')

  // The silent and the late are called out in words, not only in colour; and they come first (the late ones are
  // problems), the never-seen last.
  await expect(table.getByText('Belum ada kabar')).toHaveCount(5)
  await expect(table.getByText('Terlambat', { exact: true })).not.toHaveCount(0)
  await expect(table.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText(/^(Terlambat|Bermasalah)$/)
  await expect(table.getByRole('row').last()).toHaveClass('never')
  // The busiest post that reports in without a problem heads the active ones.
  const states = await table.locator('tbody tr td:nth-of-type(2)').allInnerTexts()
  expect(states.indexOf('Baik')).toBe(states.filter((s) => s === 'Terlambat' || s === 'Bermasalah').length)
  await expect(table.locator('tbody tr').nth(states.indexOf('Baik'))).toHaveAttribute('data-post', DEMO_POST_ID)

  const englishLink = page.getByRole('link', { name: 'English' })
  await englishLink.click()
  await expect(page.getByRole('heading', { level: 1, name: 'Posko fleet' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Posts and their latest heartbeat' }).getByText('No heartbeat yet')).toHaveCount(5)
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Keadaan posko' })).toBeVisible()

  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([])

  await screenshot(page, 'fleet', { fullPage: true, unstable: [cells.last()] }) // this machine's free disk space
})

test('the fleet page refuses a browser without the admin token, and a post token', async ({ page }) => {
  const refused = await page.goto(`${central.url}/fleet`)
  expect(refused?.status()).toBe(401)
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${central.posts[0]!.token}` })
  expect((await page.goto(`${central.url}/fleet`))?.status()).toBe(401)
})

test('IT revokes a kiosk from the fleet page after a confirmation page (axe-clean); the page then shows it revoked', async ({ page }) => {
  // A kiosk IT enrolled to the demo post (its own desk's network is not needed here: network-revoke-fleet.test.ts).
  const [desk] = await postDesksForE2e(central, 1, { postId: DEMO_POST_ID })
  desk!.close()
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${central.adminToken}` })
  await page.goto(`${central.url}/fleet`)
  await page.getByRole('link', { name: `Cabut kiosk ${desk!.kioskId}` }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Cabut kiosk?' })).toBeVisible()
  await expect(page.getByRole('main')).toContainText('tidak bisa dibatalkan')
  const results = await new AxeBuilder({ page }).analyze()
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([])
  await page.getByRole('button', { name: 'Ya, cabut kiosk ini' }).click()
  await expect(page).toHaveURL(`${central.url}/fleet`)
  await expect(page.locator(`tr[data-credential="${desk!.kioskId}"]`)).toContainText('Dicabut')
  await expect(page.getByRole('link', { name: `Cabut kiosk ${desk!.kioskId}` })).toHaveCount(0)
})
