// `npm test`: everything, in the order that fails fastest. Each step is a real tool run; the first failure stops.
import { spawnSync } from 'node:child_process'
import { ensureSystemDeps } from './system-deps.mjs'

ensureSystemDeps()

const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npx', ['eslint', '.']],
  ['build', 'node', ['scripts/build.mjs']],
  ['unit', 'npx', ['vitest', 'run']],
  ['e2e', 'npx', ['playwright', 'test']],
]

const started = Date.now()
for (const [name, cmd, args] of steps) {
  const t0 = Date.now()
  console.log(`\n── ${name} ──`)
  const run = spawnSync(cmd, args, { stdio: 'inherit', env: process.env })
  if (run.status !== 0) {
    console.error(`\nnpm test: ${name} failed (exit ${run.status ?? run.signal})`)
    process.exit(run.status || 1)
  }
  console.log(`── ${name}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}
console.log(`\nnpm test: all steps passed in ${((Date.now() - started) / 1000).toFixed(0)} s`)
