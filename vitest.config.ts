import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Vitest's default workers (one on the 2-core CI machine). Two were tried (unit 373 s → ~250 s) and made
    // network-relay.test.ts's timing-dependent "both paths reached central" fail in the final CI run of session 11.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/unit/global-setup.ts'],
  },
})
