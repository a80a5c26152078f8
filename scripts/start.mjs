// `npm start`: make sure Electron's binary exists, that Chromium's sandbox can start, build, give Electron its own
// build of better-sqlite3, start the demo central and launch the project folder in Electron.
//
// Every command line is built by a pure function below (platform, paths and versions are arguments), so the unit
// tests (test/unit/start-script.test.ts) check what runs on Windows and Linux without either. The side effects live
// in main(), which runs only when this file is the entry point.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants, homedir } from 'node:os'
import { dirname, join, posix, win32 } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where node-gyp fetches Electron's headers (Electron's docs, "Using Native Node Modules", manual rebuild). */
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'

const pathFor = (platform) => (platform === 'win32' ? win32 : posix)

/**
 * Electron's executable, found the way node_modules/electron/index.js finds it: path.txt (written when the binary
 * was unpacked) names it under dist/, or under ELECTRON_OVERRIDE_DIST_PATH. Null while no binary was unpacked.
 * Read here rather than through require('electron') so a binary downloaded a moment ago is seen without a restart.
 */
export function electronExecutable({ platform, electronDir, pathTxt, overrideDist }) {
  const path = pathFor(platform)
  if (overrideDist) return path.join(overrideDist, pathTxt ?? (platform === 'win32' ? 'electron.exe' : 'electron'))
  return pathTxt ? path.join(electronDir, 'dist', pathTxt) : null
}

/** Electron's own download step (its postinstall, which `allowScripts` keeps npm from running), by node itself. */
export function electronDownloadCommand({ execPath, platform, electronDir }) {
  return { command: execPath, args: [pathFor(platform).join(electronDir, 'install.js')], options: { shell: false } }
}

/**
 * Where Electron's build of better-sqlite3 lives. node_modules keeps the Node build the tests load; main reads this
 * one through POSKO_SQLITE_BINDING. `work` is a copy of the package that prebuild-install or node-gyp fill.
 */
export function nativePaths({ platform, root }) {
  const path = pathFor(platform)
  const dir = path.join(root, '.electron-native')
  return {
    dir,
    work: path.join(dir, 'better-sqlite3'),
    built: path.join(dir, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
    binding: path.join(dir, 'better_sqlite3.node'),
    stamp: path.join(dir, 'electron-version'),
  }
}

/** What the Electron build was made for: a different Electron, platform, arch or better-sqlite3 means a new one. */
export function nativeStamp({ electronVersion, platform, arch, sqliteVersion }) {
  return `electron ${electronVersion} ${platform}-${arch} better-sqlite3 ${sqliteVersion}`
}

/**
 * Step 1: a prebuilt binary for Electron's runtime and ABI, as @electron/rebuild tries before compiling.
 * prebuild-install (better-sqlite3's own dependency) reads the package.json in its working directory, downloads
 * `better-sqlite3-v<version>-electron-v<abi>-<platform>-<arch>.tar.gz` from the package's GitHub releases (or
 * npm's cache of it) and unpacks it into build/Release there: the copy, never node_modules.
 * Run by node's own executable: no npx, no shell (Windows refuses .cmd files without one since CVE-2024-27980).
 */
export function prebuildInstallCommand({ execPath, prebuildInstallBin, electronVersion, platform, arch, moduleDir }) {
  return {
    command: execPath,
    args: [prebuildInstallBin, '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--platform=${platform}`],
    // 'warn' so the reason for a miss (404, DNS, proxy) is printed even under `npm start --silent`.
    options: { cwd: moduleDir, shell: false, env: { npm_config_loglevel: 'warn' } },
  }
}

/**
 * Step 2: compile with node-gyp against Electron's headers. --devdir keeps Electron's headers apart from Node's in
 * node-gyp's cache, as @electron/rebuild does (~/.electron-gyp). npm exports its config to scripts, and a `nodedir`
 * there (Debian's npm ships `nodedir = /usr`) makes node-gyp build against the system Node's headers whatever
 * --target says: a Node-ABI binary under Electron's name. So the child's environment drops it (null = unset).
 */
export function nodeGypCommand({ execPath, nodeGypJs, electronVersion, arch, moduleDir, devDir }) {
  return {
    command: execPath,
    args: [nodeGypJs, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${ELECTRON_HEADERS_URL}`, `--devdir=${devDir}`],
    options: { cwd: moduleDir, shell: false, env: { npm_config_nodedir: null, NPM_CONFIG_NODEDIR: null } },
  }
}

/** The inherited environment with a spec's overrides; a null override removes the variable. */
export function childEnv(base, overrides = {}) {
  const env = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete env[key]
    else env[key] = value
  }
  return env
}

/**
 * The Node ABI a native addon was built for, from the `node_register_module_v<abi>` symbol every non-N-API addon
 * exports (better-sqlite3 is one). Null when the file doesn't say. Electron 39's is 140; Node 20's is 115.
 */
export function addonAbi(binary) {
  const match = /node_register_module_v(\d+)/.exec(binary.toString('latin1'))
  return match ? Number(match[1]) : null
}

/**
 * Folders to resolve `node-gyp/bin/node-gyp.js` from, in order: the project (electron-builder and @electron/rebuild
 * bring one, pinned by the lockfile), the npm running this script (npm_execpath is its bin/npm-cli.js), then the npm
 * installed beside node: `<node dir>\node_modules\npm` on Windows, `<prefix>/lib/node_modules/npm` elsewhere. The
 * old script assumed the POSIX layout only, which is why the Windows rebuild failed.
 */
export function nodeGypSearchPaths({ platform, root, execPath, npmExecPath }) {
  const path = pathFor(platform)
  const nodeDir = path.dirname(execPath)
  const besideNode = platform === 'win32' ? path.join(nodeDir, 'node_modules', 'npm') : path.join(nodeDir, '..', 'lib', 'node_modules', 'npm')
  const fromNpm = npmExecPath ? [path.join(path.dirname(npmExecPath), '..')] : []
  return [...new Set([root, ...fromNpm, besideNode])]
}

/** The argument list Electron gets: the project folder, so it reads package.json (name, productName, version, main). */
export function launchCommand({ electron, root, noSandbox }) {
  // --no-sandbox only when the developer asked for it (POSKO_NO_SANDBOX=1); see linuxSandboxProblem.
  return { command: electron, args: [...(noSandbox ? ['--no-sandbox'] : []), root], options: { cwd: root, shell: false } }
}

/** The kiosk's environment: dev data folder, Electron's SQLite build, and the demo central when one runs. */
export function launchEnv(base, { dataDir, binding, central }) {
  const env = { ...base, POSKO_DATA_DIR: dataDir, POSKO_SQLITE_BINDING: binding }
  if (central) Object.assign(env, { POSKO_CENTRAL_URL: central.url, POSKO_CENTRAL_TOKEN: central.token })
  // Inherited from an editor's terminal this would make Electron run as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE
  return env
}

/**
 * Whether Chromium's Linux sandbox will abort at start. It needs either unprivileged user namespaces or the SUID
 * helper (chrome-sandbox owned by root, mode 4755). Ubuntu 24.04 restricts user namespaces through AppArmor
 * (kernel.apparmor_restrict_unprivileged_userns=1) for every binary without a profile, and npm unpacks
 * chrome-sandbox as the user's own file, so `npm start` there dies with "The SUID sandbox helper binary was found,
 * but is not configured correctly" (electron/electron#42510).
 *
 * What we do about it: say in one line how to make the helper SUID root, and stop. Chromium's page on AppArmor and
 * developer builds (docs/security/apparmor-userns-restrictions.md) calls the SUID helper the safest of its options
 * (the others switch the Ubuntu protection off, globally or for a path) and keeps --no-sandbox for machines without
 * root; Electron documents --no-sandbox as "for testing" only. Falling back to it silently would run the kiosk's
 * renderer less confined than any post runs it, unseen, so it is an explicit opt-in: POSKO_NO_SANDBOX=1.
 * Null when the sandbox can start (or on other platforms).
 */
export function linuxSandboxProblem({ platform, uid, helper, sysctl }) {
  if (platform !== 'linux') return null
  // Chromium's zygote refuses root outright ("Running as root without --no-sandbox is not supported",
  // crbug.com/638180), whatever the helper: containers and root shells meet this first.
  if (uid === 0) return { asRoot: true, helper: helper?.path ?? null, reason: 'Chromium refuses to run as root with its sandbox (crbug.com/638180)' }
  if (!helper) return null
  const suidRoot = helper.uid === 0 && (helper.mode & 0o4000) !== 0 && (helper.mode & 0o001) !== 0
  if (suidRoot) return null
  let reason = null
  if (sysctl.apparmorRestrict === '1') reason = "AppArmor restricts unprivileged user namespaces (Ubuntu 23.10+)"
  else if (sysctl.usernsClone === '0') reason = 'unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)'
  else if (sysctl.maxUserNamespaces === '0') reason = 'user namespaces are disabled (user.max_user_namespaces=0)'
  return reason ? { helper: helper.path, reason } : null
}

/** The one line that says what to run. */
export function sandboxAdvice({ asRoot, helper, reason }) {
  if (asRoot) return `Posko: ${reason}: run npm start as your own user, or \`POSKO_NO_SANDBOX=1 npm start\` to run unsandboxed (development only).`
  const quoted = `'${helper.replaceAll("'", "'\\''")}'`
  return (
    `Posko: Chromium's sandbox can't start here (${reason}; ${helper} is not SUID root): run once ` +
    `\`sudo chown root:root ${quoted} && sudo chmod 4755 ${quoted}\` (again after each npm install), ` +
    'or `POSKO_NO_SANDBOX=1 npm start` to run unsandboxed (development only).'
  )
}

/** Network faults by their Node/npm codes and messages, so "needs the internet" is said only when it is true. */
export function isNetworkFailure(text) {
  return /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ESOCKETTIMEDOUT|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED)\b|getaddrinfo|socket hang up|network connectivity|proxy|request to https?:\/\/\S+ failed/i.test(
    text,
  )
}

/** A missing C++ toolchain or Python, in node-gyp's words on Linux and Windows. */
export function isToolchainFailure(text) {
  return /gyp ERR! find (Python|VS)|could not find any (Python|Visual Studio)|not found: (make|g\+\+|c\+\+|cc|gcc)|spawn (make|g\+\+|c\+\+|cc|gcc|msbuild)\S* ENOENT|(make|g\+\+|c\+\+|cc|gcc): (command )?not found|You need to install the latest version of Visual Studio/i.test(
    text,
  )
}

/**
 * The reason in a tool's output, without its boilerplate: node-gyp's `gyp ERR! stack` message (not the trace), the
 * first compiler error and the URL it was fetching; otherwise the last error or warning lines (prebuild-install's
 * `warn install …`); otherwise the last lines.
 */
export function reasonIn(text, count = 3) {
  const lines = `${text ?? ''}`.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
  const stack = lines.filter((l) => l.startsWith('gyp ERR! stack ')).map((l) => l.slice('gyp ERR! stack '.length).trim()).filter((l) => !l.startsWith('at '))
  if (stack.length > 0) {
    const compilerError = lines.find((l) => /\berror\b/i.test(l) && !l.startsWith('gyp '))
    const fetching = lines.filter((l) => l.startsWith('gyp http GET ')).at(-1)
    return [compilerError, stack.join(' '), fetching && `(${fetching.slice('gyp http '.length)})`].filter(Boolean).join(' ')
  }
  const boilerplate = /^gyp (info|ERR! (System|command|cwd|node -v|node-gyp -v|not ok|\$npm_))/
  const flagged = lines.filter((l) => /ERR!|\bwarn\b|\berror\b/i.test(l) && !boilerplate.test(l))
  return (flagged.length > 0 ? flagged : lines.filter((l) => !boilerplate.test(l))).slice(-count).join(' | ')
}

/**
 * What went wrong in one spawnSync result, in the tool's own words: the spawn error (ENOENT, EACCES, timeout), the
 * signal, or the exit code with the end of stderr (stdout when stderr is empty).
 */
export function describeRun(result, timeoutMs) {
  if (result.error) {
    const { code, message } = result.error
    if (code === 'ETIMEDOUT') return `timed out after ${Math.round(timeoutMs / 1000)} s`
    return `could not be started (${code ?? 'error'}: ${message})`
  }
  if (result.signal) return `killed by ${result.signal}`
  const tail = reasonIn(result.stderr) || reasonIn(result.stdout)
  return `exit ${result.status}${tail ? `: ${tail}` : ''}`
}

/**
 * The message when neither step produced a binary: each step's real reason, then the one hint that fits. The
 * internet is blamed only when both failures look like network failures.
 */
export function rebuildAdvice({ platform, electronVersion, prebuilt, compiled }) {
  const lines = [
    `Posko: better-sqlite3 could not be prepared for Electron ${electronVersion}.`,
    `  prebuilt binary (prebuild-install): ${prebuilt.summary}`,
    `  compiling (node-gyp): ${compiled.summary}`,
  ]
  if (isToolchainFailure(compiled.text)) {
    lines.push(
      platform === 'win32'
        ? '  Compiling needs Visual Studio Build Tools with the "Desktop development with C++" workload, and Python 3.'
        : '  Compiling needs a C++ toolchain and Python 3: sudo apt-get install -y build-essential python3',
    )
  } else if (isNetworkFailure(prebuilt.text) && isNetworkFailure(compiled.text)) {
    lines.push('  Both need the internet once: github.com (prebuilt binaries) or electronjs.org (headers to compile).')
  }
  lines.push('  Meanwhile the browser mode works:  npm run dev:web')
  return lines.join('\n')
}

/** The exit code to pass on: Electron's own, or 128 + the signal's number as a shell would report it. */
export function exitCodeOf(code, signal) {
  if (code !== null && code !== undefined) return code
  const number = signal ? constants.signals[signal] : undefined
  return number ? 128 + number : 1
}

// ── side effects ────────────────────────────────────────────────────────────────────────────────────────────────

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')

function fail(message) {
  console.error(message)
  process.exit(1)
}

function readOrNull(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

function findElectron() {
  const path = electronExecutable({
    platform: process.platform,
    electronDir,
    pathTxt: readOrNull(join(electronDir, 'path.txt')),
    overrideDist: process.env.ELECTRON_OVERRIDE_DIST_PATH,
  })
  return path && existsSync(path) ? path : null
}

/** Electron's binary, downloaded on first use. Where it can't be, one line says so and what to use instead. */
function ensureElectron() {
  const found = findElectron()
  if (found) return found
  // A status line a terminal overwrites with the result, so a failed download still reads as one line.
  if (process.stdout.isTTY) process.stdout.write("Downloading Electron's binary (one time)…")
  const timeout = 300_000
  const { command, args, options } = electronDownloadCommand({ execPath: process.execPath, platform: process.platform, electronDir })
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', timeout })
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[K')
  const path = findElectron()
  if (result.status === 0 && !result.error && path) return path
  const errorLine = `${result.stderr ?? ''}`.split('\n').find((line) => /error/i.test(line))?.trim()
  // install.js exits 0 without a binary when told to skip the download.
  const skipped = result.status === 0 && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' : null
  const reason = skipped ?? (errorLine ? errorLine.slice(0, 160) : describeRun(result, timeout))
  fail(`Posko: Electron's binary could not be downloaded (${reason}), so the desktop kiosk can't start here; run it in a browser instead: npm run dev:web`)
}

function checkSandbox(electron) {
  if (process.platform !== 'linux') return false
  if (process.env.POSKO_NO_SANDBOX === '1') {
    console.warn('Posko: POSKO_NO_SANDBOX=1: Electron runs without Chromium\'s sandbox (development only).')
    return true
  }
  const helperPath = join(dirname(electron), 'chrome-sandbox')
  let helper = null
  try {
    const stat = statSync(helperPath)
    helper = { path: helperPath, uid: stat.uid, mode: stat.mode }
  } catch {
    // No helper: Chromium relies on user namespaces alone and says so itself if it can't.
  }
  const sysctl = {
    apparmorRestrict: readOrNull('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')?.trim(),
    usernsClone: readOrNull('/proc/sys/kernel/unprivileged_userns_clone')?.trim(),
    maxUserNamespaces: readOrNull('/proc/sys/user/max_user_namespaces')?.trim(),
  }
  const problem = linuxSandboxProblem({ platform: process.platform, uid: process.getuid?.(), helper, sysctl })
  if (problem) fail(sandboxAdvice(problem))
  return false
}

function run({ command, args, options }, timeout) {
  return spawnSync(command, args, { ...options, env: childEnv(process.env, options.env), encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 })
}

/** Null when `file` was built for Electron's ABI (or doesn't say); otherwise what it was built for instead. */
function wrongAbi(file, electronAbi) {
  const abi = addonAbi(readFileSync(file))
  return electronAbi === null || abi === null || abi === electronAbi ? null : `built for ABI ${abi}, not Electron's ${electronAbi}`
}

function resolveNodeGyp() {
  const bases = nodeGypSearchPaths({ platform: process.platform, root, execPath: process.execPath, npmExecPath: process.env.npm_execpath })
  for (const base of bases) {
    try {
      return createRequire(join(base, 'package.json')).resolve('node-gyp/bin/node-gyp.js')
    } catch {
      // Not there: try the next place.
    }
  }
  return { missing: bases }
}

/**
 * One step's outcome: null when it left a binary for Electron's ABI in build/Release, else what happened, in the
 * tool's words (`summary`) plus its whole output (`text`) for the hints.
 */
function stepFailure(result, timeout, built, electronAbi) {
  const text = `${result.stderr ?? ''}\n${result.stdout ?? ''}\n${result.error?.message ?? ''}`
  if (result.status !== 0 || result.error) return { summary: describeRun(result, timeout), text }
  if (!existsSync(built)) return { summary: `exit 0 but no ${built}`, text }
  const wrong = wrongAbi(built, electronAbi)
  if (wrong) rmSync(built)
  return wrong ? { summary: `exit 0 but ${wrong}`, text } : null
}

/** better-sqlite3 for Electron's ABI in .electron-native/: a prebuilt binary first, else compiled. */
function ensureElectronSqlite(electronVersion) {
  const { platform, arch } = process
  const paths = nativePaths({ platform, root })
  const sqliteDir = join(root, 'node_modules', 'better-sqlite3')
  const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version
  const stamp = nativeStamp({ electronVersion, platform, arch, sqliteVersion })
  if (existsSync(paths.binding) && readOrNull(paths.stamp) === stamp) return
  // Electron's package names its ABI (140 for 39.x); the result is checked against it, whichever step made it.
  const electronAbi = Number(readOrNull(join(electronDir, 'abi_version'))) || null

  rmSync(paths.dir, { recursive: true, force: true })
  mkdirSync(paths.dir, { recursive: true })
  // The package without node_modules' Node build, so whatever lands in build/Release came from this run.
  cpSync(sqliteDir, paths.work, { recursive: true, filter: (source) => source !== join(sqliteDir, 'build') })

  console.log(`Getting better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${platform}-${arch})…`)
  const prebuildInstallBin = createRequire(join(sqliteDir, 'package.json')).resolve('prebuild-install/bin.js')
  const prebuildTimeout = 120_000
  const prebuildSpec = prebuildInstallCommand({ execPath: process.execPath, prebuildInstallBin, electronVersion, platform, arch, moduleDir: paths.work })
  const prebuilt = stepFailure(run(prebuildSpec, prebuildTimeout), prebuildTimeout, paths.built, electronAbi)
  if (prebuilt) {
    const nodeGypJs = resolveNodeGyp()
    let compiled
    if (typeof nodeGypJs === 'string') {
      console.log('No prebuilt binary; compiling it with node-gyp (a few minutes)…')
      const compileTimeout = 900_000
      const devDir = join(homedir(), '.electron-gyp')
      const spec = nodeGypCommand({ execPath: process.execPath, nodeGypJs, electronVersion, arch, moduleDir: paths.work, devDir })
      compiled = stepFailure(run(spec, compileTimeout), compileTimeout, paths.built, electronAbi)
    } else {
      compiled = { summary: `node-gyp not found (looked in ${nodeGypJs.missing.join(', ')})`, text: '' }
    }
    if (compiled) fail(rebuildAdvice({ platform, electronVersion, prebuilt, compiled }))
  }
  cpSync(paths.built, paths.binding)
  writeFileSync(paths.stamp, stamp)
}

async function main() {
  const electron = ensureElectron()
  const noSandbox = checkSandbox(electron)
  const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
  const { buildAll } = await import('./build.mjs')
  await buildAll({ quiet: true })
  ensureElectronSqlite(electronVersion)
  // A local reference central with demo posts, so a newcomer sees registrations upload (POSKO_NO_DEMO_CENTRAL=1 skips).
  const { startDemoCentral } = await import('./demo-central.mjs')
  const central = process.env.POSKO_NO_DEMO_CENTRAL ? null : await startDemoCentral()
  const env = launchEnv(process.env, {
    dataDir: process.env.POSKO_DATA_DIR ?? join(root, '.posko-dev', 'electron'),
    binding: nativePaths({ platform: process.platform, root }).binding,
    central,
  })
  const { command, args, options } = launchCommand({ electron, root, noSandbox })
  const child = spawn(command, args, { ...options, stdio: 'inherit', env })
  child.on('error', (error) => {
    central?.stop()
    fail(`Posko: Electron could not be started (${error.code ?? 'error'}: ${error.message})`)
  })
  child.on('exit', (code, signal) => {
    central?.stop()
    // Chromium's sandbox FATAL ends in a trap; the check above covers the usual causes, this the rest.
    if (signal === 'SIGTRAP' && process.platform === 'linux') {
      console.error('Posko: Electron stopped at start (SIGTRAP), usually its sandbox: see the FATAL line above; `POSKO_NO_SANDBOX=1 npm start` runs unsandboxed (development only).')
    }
    process.exit(exitCodeOf(code, signal))
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => fail(`Posko: npm start failed: ${error?.stack ?? error}`))
}
