import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // At least two workers, also on a 2-core machine (Vitest's default there is one): the slow files wait on child
    // processes, sockets and timers, so one worker left a core idle (docs/design-notes.md, "Test harness").
    // `npm run soak` runs one (scripts/soak.mjs), so its figures compare with earlier soaks.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/unit/global-setup.ts'],
  },
})
