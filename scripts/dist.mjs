// `npm run dist`: build, then package with electron-builder (AppImage, deb, NSIS per electron-builder.yml). It
// downloads Electron's zip and rebuilds native modules for Electron's ABI; where the download is impossible, it
// says so in one line. Publishing is IT's step (docs/updates.md), never a side effect of a build.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Baked into app-update.yml only as a fallback: kiosks read their feed from config.updateUrl (main/updater.ts), so
 * one build serves every post. IT may set POSKO_UPDATE_URL to the real feed anyway.
 */
export const PLACEHOLDER_FEED = 'https://updates.posko.invalid/posko/'

export function feedUrl(env) {
  return env.POSKO_UPDATE_URL || PLACEHOLDER_FEED
}

export function builderArgs(argv) {
  const args = ['electron-builder', '--config', 'electron-builder.yml', ...argv]
  return argv.some((a) => a === '--publish' || a.startsWith('--publish=') || a === '-p') ? args : [...args, '--publish', 'never']
}

const OFFLINE = /ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED|ETIMEDOUT|ECONNRESET|no such host|dial tcp|proxyconnect|i\/o timeout/

/** One line for the usual failure here (no route to Electron's downloads), the full output otherwise. */
export function explainFailure(stdout, stderr) {
  return OFFLINE.test(`${stdout}\n${stderr}`)
    ? 'Posko: electron-builder needs to download Electron (and its headers); this machine cannot reach them. Run `npm run dist` on a connected build machine.'
    : `Posko: electron-builder failed:\n${stderr}`
}

/**
 * electron-builder rebuilds better-sqlite3 in node_modules for Electron's ABI; the tests need it built for Node.
 * The Node build is put back afterwards (as a new file, so a hard-linked copy elsewhere is never written through).
 */
function keepNodeBuildOf(file) {
  if (!existsSync(file)) return () => undefined
  const dir = mkdtempSync(join(tmpdir(), 'posko-dist-'))
  const backup = join(dir, 'native.node')
  copyFileSync(file, backup)
  return () => {
    rmSync(file, { force: true })
    copyFileSync(backup, file)
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildAll } = await import('./build.mjs')
  await buildAll()
  const restore = keepNodeBuildOf(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))
  let run
  try {
    run = spawnSync('npx', builderArgs(process.argv.slice(2)), {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, POSKO_UPDATE_URL: feedUrl(process.env) },
    })
  } finally {
    restore()
  }
  process.stdout.write(run.stdout ?? '')
  if (run.status !== 0) {
    console.error(`\n${explainFailure(run.stdout ?? '', run.stderr ?? '')}`)
    process.exit(1)
  }
  console.log('\nPosko: packages in release/. To publish them to the update feed, see docs/updates.md.')
}
