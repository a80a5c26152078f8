// `npm run screenshots`: refreshes docs/screenshots/, the README's pictures. Builds, then runs the e2e tests tagged
// @screenshot with POSKO_SCREENSHOTS=docs, so test/e2e/screenshots.ts writes into docs/ instead of test-results/ and
// the kiosk's and the page's clocks stand still at one moment (in WIB): an unchanged screen gives an unchanged file.
// Extra arguments go to Playwright (e.g. `npm run screenshots -- test/e2e/home.spec.ts`).
import { spawnSync } from 'node:child_process'
import { ensureSystemDeps } from './system-deps.mjs'

ensureSystemDeps()

const env = { ...process.env, POSKO_SCREENSHOTS: 'docs', TZ: 'Asia/Jakarta' }
const steps = [
  ['node', ['scripts/build.mjs']],
  ['npx', ['playwright', 'test', '--grep', '@screenshot', ...process.argv.slice(2)]],
]
for (const [cmd, args] of steps) {
  const run = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (run.status !== 0) process.exit(run.status || 1)
}
console.log('\nscreenshots: docs/screenshots/ refreshed; `git status docs/` shows the pictures that changed')
