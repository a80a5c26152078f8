// `npm run soak`: the kill tests of `npm test` at soak size (issue 17, "a bad day"): 1,000 SIGKILLs of a kiosk
// submitting, 1,000 of a kiosk uploading to a central that drops and truncates answers, 1,000 each of a desk pulling
// and a desk serving the post log (issue 21), and 200 trials of three desks killed during peer backup and relay (issue
// 22.2: each trial restarts three desks, so 200, not 1,000, fit the hour). Too long for `npm test`
// (tens of minutes on a 2-core machine); run it and report the figures. `-- <n>` runs n trials of each instead.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const trials = String(Number(process.argv[2] ?? 1000))
const relayTrials = String(Number(process.argv[2] ?? 200))
const started = Date.now()
// Vitest's CLI run by this Node, as scripts/test.mjs's steps are meant to be: no npx, no shell. One file at a time,
// whatever vitest.config.ts gives `npm test`: the soak's figures stay comparable with earlier runs (one worker).
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')
const run = spawnSync(process.execPath, [vitest, 'run', '--maxWorkers=1', 'test/unit/crash.test.ts', 'test/unit/upload-chaos.test.ts', 'test/unit/network-log-kill.test.ts', 'test/unit/network-relay-kill.test.ts', '-t', 'SIGKILL'], {
  stdio: 'inherit',
  env: { ...process.env, POSKO_CRASH_TRIALS: trials, POSKO_KILL_TRIALS: trials, POSKO_RELAY_KILL_TRIALS: relayTrials },
})
console.log(`\nsoak: ${trials} kill trials each (relay: ${relayTrials}), ${run.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(run.status ?? 1)
