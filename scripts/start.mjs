// `npm start`: build, make sure Electron's binary and an Electron-ABI build of better-sqlite3 exist, launch the
// kiosk. Electron's binary is fetched lazily here (never at install); where that is impossible we say so plainly.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAll } from './build.mjs'
import { startDemoCentral } from './demo-central.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const nativeDir = join(root, '.electron-native')
const binding = join(nativeDir, 'better_sqlite3.node')

function fail(message) {
  console.error(`\n${message}\n`)
  process.exit(1)
}

function electronPath() {
  try {
    return require('electron')
  } catch {
    return null
  }
}

function ensureElectron() {
  let path = electronPath()
  if (path && existsSync(path)) return path
  console.log('Electron binary not present: downloading it (one time)…')
  const install = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { encoding: 'utf8', timeout: 300_000 })
  path = electronPath()
  if (install.status !== 0 || !path || !existsSync(path)) {
    const reason = `${install.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? 'no answer'
    fail(
      `(download failed: ${reason.trim().slice(0, 160)})\n` +
      'Posko: Electron could not be downloaded on this machine, so the desktop kiosk cannot start here.\n' +
        'Run it in a browser instead:  npm run dev:web   (development/demo mode, same screens and services)',
    )
  }
  return path
}

/** better-sqlite3 in node_modules stays built for Node (tests); Electron gets its own copy, rebuilt for its ABI. */
function ensureElectronSqlite() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
  const stamp = join(nativeDir, 'electron-version')
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) return
  console.log(`Rebuilding better-sqlite3 for Electron ${electronVersion}…`)
  const work = join(nativeDir, 'better-sqlite3')
  rmSync(nativeDir, { recursive: true, force: true })
  mkdirSync(nativeDir, { recursive: true })
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true })
  const gyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  try {
    execFileSync(process.execPath, [gyp, 'rebuild', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', '--release'], {
      cwd: work,
      stdio: 'inherit',
    })
  } catch {
    fail('Posko: could not rebuild better-sqlite3 for Electron (its headers need the internet). Use `npm run dev:web` instead.')
  }
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), binding)
  writeFileSync(stamp, electronVersion)
}

const electron = ensureElectron()
await buildAll({ quiet: true })
ensureElectronSqlite()
const dataDir = process.env.POSKO_DATA_DIR ?? join(root, '.posko-dev', 'electron')
// A local reference central with demo posts, so a newcomer sees registrations upload (POSKO_NO_DEMO_CENTRAL=1 skips).
const central = process.env.POSKO_NO_DEMO_CENTRAL ? null : await startDemoCentral()
const child = spawn(electron, [join(root, 'dist', 'main', 'index.cjs')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    POSKO_DATA_DIR: dataDir,
    POSKO_SQLITE_BINDING: binding,
    ...(central ? { POSKO_CENTRAL_URL: central.url, POSKO_CENTRAL_TOKEN: central.token } : {}),
  },
})
child.on('exit', (code) => {
  central?.stop()
  process.exit(code ?? 0)
})
