import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './test/e2e/chromium'

export default defineConfig({
  testDir: 'test/e2e',
  fullyParallel: false,
  workers: process.env.CI ? 2 : undefined,
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
