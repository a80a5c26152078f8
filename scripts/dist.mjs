// `npm run dist`: build, then package with electron-builder (which downloads Electron's zip and rebuilds native
// modules for Electron's ABI). Where the download is impossible, say so in one line.
import { spawnSync } from 'node:child_process'
import { buildAll } from './build.mjs'

await buildAll()
const run = spawnSync('npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)], { encoding: 'utf8' })
process.stdout.write(run.stdout ?? '')
if (run.status !== 0) {
  const offline = /ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED/.test(`${run.stderr}`)
  console.error(
    offline
      ? '\nPosko: electron-builder needs to download Electron (and its headers); this machine cannot reach them. Run `npm run dist` on a connected build machine.'
      : `\nPosko: electron-builder failed:\n${run.stderr}`,
  )
  process.exit(1)
}
