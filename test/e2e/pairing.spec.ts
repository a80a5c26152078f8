import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from '@playwright/test'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { startWebServer } from '../../main/web/server'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { freePorts } from '../fixtures/ports'
import { expect, openMenu, root, STAFF, test, testConfig } from './harness'

/**
 * Issue 21.1 in the browser: two pages, each backed by its own real kiosk that never reached central (own data dir,
 * certificate and TLS port on loopback, each other's address configured). A supervisor at desk 1 asks desk 2 to pair;
 * both screens show the same 6-digit code; both supervisors press "Kode sama"; both desks then list each other.
 * Keyboard-reachable buttons, axe-checked with the code on screen.
 */
async function pageFor(context: BrowserContext, kiosk: TestKiosk, url: string): Promise<Page> {
  await context.exposeBinding('__poskoInvoke', (_source, channel: unknown, input: unknown) => kiosk.dispatch(channel, input, { transport: 'test' }))
  const page = await context.newPage()
  await page.goto(url)
  return page
}

async function expectNoSeriousViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${where}: ${v.id}: ${v.help}`)).toEqual([])
}

test('two never-enrolled desks pair by comparing the same code on both screens', async ({ browser }) => {
  test.setTimeout(90_000)
  const ports = await freePorts(2)
  const dirs = ports.map(() => mkdtempSync(join(tmpdir(), 'posko-e2e-pair-')))
  const desks = ports.map((port, i) =>
    createTestKiosk({
      dataDir: dirs[i]!,
      config: { ...testConfig, network: { ...testConfig.network, port, mdns: false, peers: [`127.0.0.1:${ports[1 - i]}`] } },
      version: '0.0.0-test',
      logger: createMemoryLogger(),
      resourcesDir: join(root, 'resources'),
      drives: { platform: 'linux', mountsFile: join(dirs[i]!, 'no-mount-table') },
      heartbeat: { autoStart: false, afterUploads: false },
      upload: { autoStart: false },
      network: { host: '127.0.0.1', port, mdns: false, roundMs: 100 },
    }),
  )
  const server = await startWebServer({ rendererDir: join(root, 'dist', 'renderer'), bridgeFile: join(root, 'dist', 'web', 'bridge.js'), logger: createMemoryLogger() })
  const contexts: BrowserContext[] = []
  try {
    for (const kiosk of desks) {
      await kiosk.sessions.createOperator({ operatorId: STAFF.supervisor.id, name: STAFF.supervisor.name, role: 'supervisor', pin: STAFF.supervisor.pin })
      await kiosk.sessions.signIn(STAFF.supervisor.id, STAFF.supervisor.pin)
      await kiosk.network.start()
    }
    contexts.push(await browser.newContext(), await browser.newContext())
    const [one, two] = [await pageFor(contexts[0]!, desks[0]!, server.url), await pageFor(contexts[1]!, desks[1]!, server.url)]
    for (const page of [one, two]) {
      await (await openMenu(page)).getByRole('button', { name: 'Pasangkan meja' }).click()
      await page.keyboard.press('Escape')
      await expect(page.getByRole('heading', { level: 1, name: 'Pasangkan meja' })).toBeVisible()
    }
    await expectNoSeriousViolations(one, 'waiting list')

    // Desk 1 asks desk 2 (by keyboard); both screens show the code, the same one.
    const waiting = one.getByRole('region', { name: 'Meja yang menunggu dipasangkan' })
    await expect(waiting).toContainText(`Meja di 127.0.0.1:${ports[1]}`)
    await waiting.getByRole('button', { name: 'Pasangkan' }).focus()
    await one.keyboard.press('Enter')
    const codeAt = (page: Page) => page.locator('.pairing-code')
    await expect(codeAt(one)).toHaveText(/^\d{3} \d{3}$/)
    await expect(two.getByRole('heading', { name: /meminta dipasangkan dengan meja ini/ })).toBeVisible()
    const code = await codeAt(one).textContent()
    await expect(codeAt(two)).toHaveText(code!)
    await expectNoSeriousViolations(one, 'code at the asking desk')
    await expectNoSeriousViolations(two, 'code at the asked desk')

    // Both supervisors say the codes match (desk 2 by touch/click); both desks then list each other.
    await one.getByRole('button', { name: 'Kode sama' }).click()
    await expect(one.getByText(/Menunggu supervisor di Meja/)).toBeVisible()
    await two.getByRole('button', { name: 'Kode sama' }).click()
    for (const page of [one, two]) {
      await expect(page.getByText(/sudah dipasangkan\./)).toBeVisible({ timeout: 15_000 })
      await expect(page.getByRole('region', { name: 'Meja yang sudah dipasangkan' })).toContainText('dipasangkan')
    }
    await expectNoSeriousViolations(two, 'paired')
  } finally {
    for (const context of contexts) await context.close()
    await server.close()
    for (const kiosk of desks) kiosk.close()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
})
