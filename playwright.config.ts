import { availableParallelism } from 'node:os'
import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './test/e2e/chromium'

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  // At least two, also on a 2-core machine (Playwright's default there is one, and .ci/run sets no CI variable): a
  // test spends much of its time waiting on the kiosk and the page. On the CI VM: 10.9 min with one, 7.8 with two.
  workers: Math.max(2, Math.ceil(availableParallelism() / 2)),
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath(), args: chromiumArgs() },
    viewport: { width: 1366, height: 768 },
    locale: 'id-ID',
    trace: 'retain-on-failure',
  },
})
