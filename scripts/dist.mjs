// `npm run dist`: build, then package with electron-builder (deb, NSIS per electron-builder.yml). It
// downloads Electron's zip and rebuilds native modules for Electron's ABI; where the download is impossible, it
// says so in one line. Publishing is IT's step (docs/updates.md), never a side effect of a build.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
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
  const args = ['--config', 'electron-builder.yml', ...argv]
  return argv.some((a) => a === '--publish' || a.startsWith('--publish=') || a === '-p') ? args : [...args, '--publish', 'never']
}

/** electron-builder's CLI script, from the project's node_modules (no npx, no PATH lookup). */
export function builderCli(projectRoot) {
  return createRequire(join(projectRoot, 'package.json')).resolve('electron-builder/cli.js')
}

/**
 * How electron-builder is started: the running Node on its cli.js, with no shell. `spawnSync('npx', …)` without a
 * shell fails on Windows since Node's CVE-2024-27980 fix (npx is npx.cmd there: EINVAL/ENOENT), and a shell would
 * re-parse the arguments. The same command line on every platform; only the paths differ.
 */
export function builderCommand({ nodePath, cli, argv }) {
  return { command: nodePath, args: [cli, ...builderArgs(argv)] }
}

const OFFLINE = /ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED|ETIMEDOUT|ECONNRESET|no such host|dial tcp|proxyconnect|i\/o timeout/

/**
 * One line for the usual failure here (no route to Electron's downloads); otherwise what went wrong: the spawn
 * error if electron-builder never started, its stderr, and its stdout's last lines (electron-builder logs its
 * failure there too), so the message is never empty.
 */
export function explainFailure(stdout, stderr, spawnError) {
  if (spawnError) return `Posko: electron-builder could not be started: ${spawnError.message ?? String(spawnError)}`
  if (OFFLINE.test(`${stdout}\n${stderr}`)) {
    return 'Posko: electron-builder needs to download Electron (and its headers); this machine cannot reach them. Run `npm run dist` on a connected build machine.'
  }
  const detail = stderr.trim() || stdout.trim().split('\n').slice(-20).join('\n') || '(no output)'
  return `Posko: electron-builder failed:\n${detail}`
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
  // Before the long build: a release nobody can install is worse than no release.
  const { signingKeyFrom, signFeed } = await import('./sign-feed.mjs')
  const signing = signingKeyFrom(process.env)
  if (signing.problem) {
    console.error(signing.problem)
    process.exit(1)
  }
  const { buildAll } = await import('./build.mjs')
  await buildAll()
  const restore = keepNodeBuildOf(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))
  let run
  try {
    const { command, args } = builderCommand({ nodePath: process.execPath, cli: builderCli(root), argv: process.argv.slice(2) })
    run = spawnSync(command, args, {
      cwd: root,
      // electron-builder's log is long; the default 1 MB buffer would cut it (and the error at its end) off.
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
      env: { ...process.env, POSKO_UPDATE_URL: feedUrl(process.env) },
    })
  } finally {
    restore()
  }
  process.stdout.write(run.stdout ?? '')
  if (run.error || run.status !== 0) {
    console.error(`\n${explainFailure(run.stdout ?? '', run.stderr ?? '', run.error)}`)
    process.exit(1)
  }
  const signed = signFeed(join(root, 'release'), signing.key)
  console.log(`\nPosko: packages in release/, channel files signed (${signed.join(', ')}). To publish them to the update feed, see docs/updates.md.`)
}
