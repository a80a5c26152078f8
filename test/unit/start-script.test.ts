import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  addonAbi,
  childEnv,
  describeRun,
  ELECTRON_HEADERS_URL,
  electronDownloadCommand,
  electronExecutable,
  exitCodeOf,
  isNetworkFailure,
  isToolchainFailure,
  launchCommand,
  launchEnv,
  linuxSandboxProblem,
  nativePaths,
  nativeStamp,
  nodeGypCommand,
  nodeGypSearchPaths,
  prebuildInstallCommand,
  rebuildAdvice,
  sandboxAdvice,
} from '../../scripts/start.mjs'
import type { CommandSpec } from '../../scripts/start.mjs'

/**
 * `npm start` on machines this one isn't: every command line scripts/start.mjs runs, built for Windows and Linux
 * from their own paths, checked as data. None of it needs Electron's binary.
 */
const repo = resolve(import.meta.dirname, '..', '..')

const win = {
  platform: 'win32' as const,
  root: 'C:\\Users\\Ana Sari\\posko',
  execPath: 'C:\\Program Files\\nodejs\\node.exe',
  npmExecPath: 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js',
  electronDir: 'C:\\Users\\Ana Sari\\posko\\node_modules\\electron',
}
const linux = {
  platform: 'linux' as const,
  root: '/home/ana/posko',
  execPath: '/usr/local/bin/node',
  npmExecPath: '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  electronDir: '/home/ana/posko/node_modules/electron',
}

/** No shell, no npx: the command is an executable path and the shell option is off. */
function expectDirectSpawn(spec: CommandSpec, executable: string): void {
  expect(spec.command).toBe(executable)
  expect(spec.options.shell).toBe(false)
  expect([spec.command, ...spec.args].some((part) => /(^|[\\/])npx(\.cmd)?$/i.test(part))).toBe(false)
}

describe('launching Electron', () => {
  it.each([
    [win, 'electron.exe', 'C:\\Users\\Ana Sari\\posko\\node_modules\\electron\\dist\\electron.exe'],
    [linux, 'electron', '/home/ana/posko/node_modules/electron/dist/electron'],
  ])('finds the binary where electron/index.js does (%#)', (machine, pathTxt, expected) => {
    expect(electronExecutable({ platform: machine.platform, electronDir: machine.electronDir, pathTxt })).toBe(expected)
    expect(electronExecutable({ platform: machine.platform, electronDir: machine.electronDir, pathTxt: null })).toBeNull()
  })

  it('honours ELECTRON_OVERRIDE_DIST_PATH as electron/index.js does', () => {
    expect(electronExecutable({ platform: 'linux', electronDir: linux.electronDir, pathTxt: null, overrideDist: '/opt/electron-39' })).toBe('/opt/electron-39/electron')
    expect(electronExecutable({ platform: 'win32', electronDir: win.electronDir, pathTxt: 'electron.exe', overrideDist: 'D:\\electron' })).toBe('D:\\electron\\electron.exe')
  })

  it.each([win, linux])('runs Electron\'s download step with node itself ($platform)', (machine) => {
    const spec = electronDownloadCommand(machine)
    expectDirectSpawn(spec, machine.execPath)
    expect(spec.args).toEqual([machine.platform === 'win32' ? `${win.electronDir}\\install.js` : `${linux.electronDir}/install.js`])
  })

  it.each([win, linux])('launches the project folder, so Electron reads name, productName, version and main from package.json ($platform)', (machine) => {
    const electron = machine.platform === 'win32' ? `${win.electronDir}\\dist\\electron.exe` : `${linux.electronDir}/dist/electron`
    const spec = launchCommand({ electron, root: machine.root, noSandbox: false })
    expectDirectSpawn(spec, electron)
    expect(spec.args).toEqual([machine.root])
    expect(spec.options.cwd).toBe(machine.root)
    // Not the bundled main file: with it Electron names the app "Electron", reports its own version and keeps
    // its data in ~/.config/Electron.
    expect(spec.args.some((arg) => arg.endsWith('index.cjs'))).toBe(false)
  })

  it('adds --no-sandbox only when asked for', () => {
    expect(launchCommand({ electron: '/e/electron', root: linux.root, noSandbox: true }).args).toEqual(['--no-sandbox', linux.root])
  })

  it('package.json gives Electron the app name Posko (hence ~/.config/Posko), a version and the built main', () => {
    const pkg = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { name: string; productName: string; version: string; main: string }
    expect(pkg.productName).toBe('Posko')
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(pkg.main).toBe('dist/main/index.cjs')
  })

  it('passes the data folder, the Electron SQLite build and the demo central, and never ELECTRON_RUN_AS_NODE', () => {
    const env = launchEnv(
      { PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1' },
      { dataDir: '/d', binding: '/b/better_sqlite3.node', central: { url: 'http://127.0.0.1:8787', token: 't' } },
    )
    expect(env).toEqual({
      PATH: '/usr/bin',
      POSKO_DATA_DIR: '/d',
      POSKO_SQLITE_BINDING: '/b/better_sqlite3.node',
      POSKO_CENTRAL_URL: 'http://127.0.0.1:8787',
      POSKO_CENTRAL_TOKEN: 't',
    })
    expect(launchEnv({}, { dataDir: '/d', binding: '/b', central: null })).not.toHaveProperty('POSKO_CENTRAL_URL')
  })

  it('passes on the exit code, or 128 + signal as a shell would', () => {
    expect(exitCodeOf(0, null)).toBe(0)
    expect(exitCodeOf(3, null)).toBe(3)
    expect(exitCodeOf(null, 'SIGTRAP')).toBe(133)
    expect(exitCodeOf(null, null)).toBe(1)
  })
})

describe('better-sqlite3 for Electron', () => {
  it.each([
    [win, 'C:\\Users\\Ana Sari\\posko\\.electron-native\\better-sqlite3', 'C:\\Users\\Ana Sari\\posko\\.electron-native\\better_sqlite3.node'],
    [linux, '/home/ana/posko/.electron-native/better-sqlite3', '/home/ana/posko/.electron-native/better_sqlite3.node'],
  ])('works in a copy under .electron-native, never in node_modules (%#)', (machine, work, binding) => {
    const paths = nativePaths(machine)
    expect(paths.work).toBe(work)
    expect(paths.binding).toBe(binding)
    expect(paths.built.startsWith(work)).toBe(true)
    expect(Object.values(paths).some((p) => p.includes('node_modules'))).toBe(false)
  })

  it('rebuilds when Electron, the platform, the arch or better-sqlite3 change', () => {
    const base = { electronVersion: '39.5.0', platform: 'linux' as const, arch: 'x64', sqliteVersion: '12.4.0' }
    const stamps = new Set([
      nativeStamp(base),
      nativeStamp({ ...base, electronVersion: '39.6.0' }),
      nativeStamp({ ...base, platform: 'win32' }),
      nativeStamp({ ...base, arch: 'arm64' }),
      nativeStamp({ ...base, sqliteVersion: '12.5.0' }),
    ])
    expect(stamps.size).toBe(5)
  })

  it.each([win, linux])('asks prebuild-install for the Electron runtime, version, arch and platform, run by node in the copy ($platform)', (machine) => {
    const { work } = nativePaths(machine)
    const bin = machine.platform === 'win32' ? `${machine.root}\\node_modules\\prebuild-install\\bin.js` : `${machine.root}/node_modules/prebuild-install/bin.js`
    const spec = prebuildInstallCommand({ execPath: machine.execPath, prebuildInstallBin: bin, electronVersion: '39.5.0', platform: machine.platform, arch: 'x64', moduleDir: work })
    expectDirectSpawn(spec, machine.execPath)
    expect(spec.args).toEqual([bin, '--runtime=electron', '--target=39.5.0', '--arch=x64', `--platform=${machine.platform}`])
    expect(spec.options.cwd).toBe(work)
  })

  it.each([win, linux])('compiles with node-gyp against Electron\'s headers, run by node in the copy ($platform)', (machine) => {
    const { work } = nativePaths(machine)
    const gyp = machine.platform === 'win32' ? `${win.npmExecPath.replace('bin\\npm-cli.js', '')}node_modules\\node-gyp\\bin\\node-gyp.js` : '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'
    const devDir = machine.platform === 'win32' ? 'C:\\Users\\Ana Sari\\.electron-gyp' : '/home/ana/.electron-gyp'
    const spec = nodeGypCommand({ execPath: machine.execPath, nodeGypJs: gyp, electronVersion: '39.5.0', arch: 'arm64', moduleDir: work, devDir })
    expectDirectSpawn(spec, machine.execPath)
    expect(spec.args).toEqual([gyp, 'rebuild', '--release', '--target=39.5.0', '--arch=arm64', `--dist-url=${ELECTRON_HEADERS_URL}`, `--devdir=${devDir}`])
    expect(ELECTRON_HEADERS_URL).toBe('https://electronjs.org/headers')
    expect(spec.options.cwd).toBe(work)
  })

  it("keeps npm's nodedir from node-gyp, which would otherwise build against the system Node's headers", () => {
    const spec = nodeGypCommand({ execPath: linux.execPath, nodeGypJs: '/g.js', electronVersion: '39.5.0', arch: 'x64', moduleDir: '/m', devDir: '/d' })
    // What `npm start` inherits on Debian, whose npm ships `nodedir = /usr`.
    const env = childEnv({ PATH: '/usr/bin', npm_config_nodedir: '/usr', npm_config_cache: '/c' }, spec.options.env)
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_cache: '/c' })
    expect(childEnv({ PATH: '/usr/bin' }, { npm_config_loglevel: 'warn' })).toEqual({ PATH: '/usr/bin', npm_config_loglevel: 'warn' })
  })

  it("reads the ABI an addon was built for, so a Node build under Electron's name is caught", () => {
    // node_modules' better-sqlite3 is the Node build the tests load: its ABI is this Node's.
    const nodeBuild = readFileSync(resolve(repo, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))
    expect(addonAbi(nodeBuild)).toBe(Number(process.versions.modules))
    expect(Number(readFileSync(resolve(repo, 'node_modules', 'electron', 'abi_version'), 'utf8'))).not.toBe(Number(process.versions.modules))
    expect(addonAbi(Buffer.from('\0node_register_module_v140\0'))).toBe(140)
    expect(addonAbi(Buffer.from('no symbol here'))).toBeNull()
  })

  it('looks for node-gyp in the project, then the running npm, then the npm beside node (Windows layout)', () => {
    expect(nodeGypSearchPaths(win)).toEqual([win.root, 'C:\\Program Files\\nodejs\\node_modules\\npm'])
    // Without npm_execpath (node scripts/start.mjs), npm is found beside node.exe, not under ..\lib.
    expect(nodeGypSearchPaths({ ...win, npmExecPath: undefined })).toEqual([win.root, 'C:\\Program Files\\nodejs\\node_modules\\npm'])
  })

  it('looks for node-gyp in the project, then the running npm, then the npm beside node (POSIX layout)', () => {
    const nvm = { ...linux, execPath: '/home/ana/.nvm/versions/node/v22.1.0/bin/node', npmExecPath: '/home/ana/.nvm/versions/node/v22.1.0/lib/node_modules/npm/bin/npm-cli.js' }
    expect(nodeGypSearchPaths(nvm)).toEqual([linux.root, '/home/ana/.nvm/versions/node/v22.1.0/lib/node_modules/npm'])
    expect(nodeGypSearchPaths({ ...linux, npmExecPath: '/opt/npm/bin/npm-cli.js' })).toEqual([linux.root, '/opt/npm', '/usr/local/lib/node_modules/npm'])
  })
})

describe('saying what went wrong', () => {
  it('reports a spawn error, a timeout, a signal or the exit code with the tool\'s last lines', () => {
    expect(describeRun({ status: null, signal: null, error: { code: 'ENOENT', message: 'spawn node ENOENT' } }, 1000)).toBe('could not be started (ENOENT: spawn node ENOENT)')
    expect(describeRun({ status: null, signal: 'SIGTERM', error: { code: 'ETIMEDOUT', message: 'spawnSync node ETIMEDOUT' } }, 120_000)).toBe('timed out after 120 s')
    expect(describeRun({ status: null, signal: 'SIGKILL' }, 1000)).toBe('killed by SIGKILL')
    const prebuild = 'prebuild-install warn install No prebuilt binaries found (target=39.5.0 runtime=electron arch=x64 libc= platform=linux)\n'
    expect(describeRun({ status: 1, signal: null, stderr: prebuild }, 1000)).toBe(`exit 1: ${prebuild.trim()}`)
  })

  it("gives node-gyp's reason, not its trace or boilerplate (its output offline, as seen on this machine)", () => {
    const stderr = [
      'gyp info it worked if it ends with ok',
      'gyp http GET https://electronjs.org/headers/v39.5.0/node-v39.5.0-headers.tar.gz',
      'gyp WARN install got an error, rolling back install',
      'gyp ERR! configure error ',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and',
      'gyp ERR! stack is related to network connectivity. In most cases you are behind a proxy or have bad',
      'gyp ERR! stack network settings.',
      'gyp ERR! stack at go (/p/node_modules/node-gyp/lib/install.js:244:21)',
      'gyp ERR! System Linux 6.18.44',
      'gyp ERR! cwd /p/.electron-native/better-sqlite3',
      'gyp ERR! node-gyp -v v12.4.0',
      'gyp ERR! not ok ',
    ].join('\n')
    const summary = describeRun({ status: 1, signal: null, stderr }, 1000)
    expect(summary).toBe(
      'exit 1: Error: This is most likely not a problem with node-gyp or the package itself and is related to network connectivity. In most cases you are behind a proxy or have bad network settings. (GET https://electronjs.org/headers/v39.5.0/node-v39.5.0-headers.tar.gz)',
    )
    expect(isNetworkFailure(stderr)).toBe(true)
    const compile = 'gyp info spawn make\n../src/better_sqlite3.cpp:12:1: error: expected \';\' before \'}\' token\nmake: *** [x] Error 1\ngyp ERR! build error\ngyp ERR! stack Error: `make` failed with exit code: 2\ngyp ERR! stack at ChildProcess.<anonymous>\n'
    expect(describeRun({ status: 1, signal: null, stderr: compile }, 1000)).toBe("exit 1: ../src/better_sqlite3.cpp:12:1: error: expected ';' before '}' token Error: `make` failed with exit code: 2")
    expect(isNetworkFailure(compile)).toBe(false)
  })

  it('calls a failure a network failure only when it is one', () => {
    expect(isNetworkFailure('prebuild-install warn install getaddrinfo ENOTFOUND github.com')).toBe(true)
    expect(isNetworkFailure('gyp ERR! stack FetchError: request to https://electronjs.org/headers/v39.5.0/node-v39.5.0-headers.tar.gz failed, reason: connect ECONNREFUSED')).toBe(true)
    expect(isNetworkFailure('prebuild-install warn install No prebuilt binaries found (target=39.5.0 runtime=electron arch=x64 libc= platform=linux)')).toBe(false)
    expect(isNetworkFailure('gyp ERR! stack Error: Could not find any Visual Studio installation to use')).toBe(false)
  })

  it('on Windows names the missing Build Tools, not the internet', () => {
    const message = rebuildAdvice({
      platform: 'win32',
      electronVersion: '39.5.0',
      prebuilt: { summary: 'exit 1: getaddrinfo ENOTFOUND github.com', text: 'getaddrinfo ENOTFOUND github.com' },
      compiled: { summary: 'exit 1: gyp ERR! find VS could not find a version of Visual Studio', text: 'gyp ERR! find VS could not find a version of Visual Studio 2017 or newer to use' },
    })
    expect(message).toContain('Visual Studio Build Tools')
    expect(message).not.toMatch(/internet/i)
    expect(message).toContain('prebuilt binary (prebuild-install): exit 1: getaddrinfo ENOTFOUND github.com')
  })

  it('on Linux names the compiler package when make or g++ is missing', () => {
    const message = rebuildAdvice({
      platform: 'linux',
      electronVersion: '39.5.0',
      prebuilt: { summary: 'exit 1: No prebuilt binaries found', text: 'No prebuilt binaries found' },
      compiled: { summary: 'exit 1: gyp ERR! stack Error: not found: make', text: 'gyp ERR! stack Error: not found: make' },
    })
    expect(message).toContain('sudo apt-get install -y build-essential python3')
    expect(isToolchainFailure('/bin/sh: 1: g++: not found')).toBe(true)
  })

  it('blames the internet only when both steps failed on the network', () => {
    const offline = { summary: 'exit 1', text: 'getaddrinfo ENOTFOUND' }
    expect(rebuildAdvice({ platform: 'linux', electronVersion: '39.5.0', prebuilt: offline, compiled: offline })).toMatch(/internet/)
    const compileError = { summary: 'exit 1', text: 'error: expected ; before }' }
    expect(rebuildAdvice({ platform: 'linux', electronVersion: '39.5.0', prebuilt: offline, compiled: compileError })).not.toMatch(/internet/)
  })
})

describe("Chromium's sandbox on Linux", () => {
  const helper = { path: '/home/ana/posko/node_modules/electron/dist/chrome-sandbox', uid: 1000, mode: 0o100755 }
  const ubuntu2404 = { apparmorRestrict: '1', usernsClone: '1', maxUserNamespaces: '63000' }

  it('stops on Ubuntu 24.04 when chrome-sandbox is not SUID root, saying in one line what to run', () => {
    const problem = linuxSandboxProblem({ platform: 'linux', uid: 1000, helper, sysctl: ubuntu2404 })
    expect(problem).toEqual({ helper: helper.path, reason: expect.stringMatching(/AppArmor/) })
    const line = sandboxAdvice(problem!)
    expect(line).not.toContain('\n')
    expect(line).toContain(`sudo chown root:root '${helper.path}' && sudo chmod 4755 '${helper.path}'`)
    expect(line).toContain('POSKO_NO_SANDBOX=1 npm start')
  })

  it('lets Electron start when the helper is SUID root or user namespaces are allowed', () => {
    expect(linuxSandboxProblem({ platform: 'linux', uid: 1000, helper: { ...helper, uid: 0, mode: 0o104755 }, sysctl: ubuntu2404 })).toBeNull()
    expect(linuxSandboxProblem({ platform: 'linux', uid: 1000, helper, sysctl: { apparmorRestrict: '0' } })).toBeNull()
    // Debian 12 and Ubuntu 22.04: no AppArmor restriction, user namespaces on.
    expect(linuxSandboxProblem({ platform: 'linux', uid: 1000, helper, sysctl: { apparmorRestrict: null, usernsClone: null, maxUserNamespaces: '96367' } })).toBeNull()
    // A root-owned helper without the SUID bit is not enough.
    expect(linuxSandboxProblem({ platform: 'linux', uid: 1000, helper: { ...helper, uid: 0 }, sysctl: ubuntu2404 })).not.toBeNull()
  })

  it('stops too where user namespaces are switched off outright', () => {
    expect(linuxSandboxProblem({ platform: 'linux', uid: 1000, helper, sysctl: { usernsClone: '0' } })?.reason).toMatch(/unprivileged_userns_clone=0/)
    expect(linuxSandboxProblem({ platform: 'linux', uid: 1000, helper, sysctl: { maxUserNamespaces: '0' } })?.reason).toMatch(/max_user_namespaces=0/)
  })

  it('stops as root, which no helper fixes, and says to run as your own user', () => {
    const problem = linuxSandboxProblem({ platform: 'linux', uid: 0, helper: { ...helper, uid: 0, mode: 0o104755 }, sysctl: {} })
    expect(problem).toMatchObject({ asRoot: true })
    const line = sandboxAdvice(problem!)
    expect(line).not.toContain('\n')
    expect(line).toMatch(/as your own user/)
    expect(line).toContain('POSKO_NO_SANDBOX=1 npm start')
    expect(line).not.toContain('chmod')
  })

  it('does nothing on Windows', () => {
    expect(linuxSandboxProblem({ platform: 'win32', uid: undefined, helper, sysctl: ubuntu2404 })).toBeNull()
  })

  it('quotes a helper path with a quote in it for the shell', () => {
    expect(sandboxAdvice({ helper: "/home/o'neil/electron/chrome-sandbox", reason: 'r' })).toContain("'/home/o'\\''neil/electron/chrome-sandbox'")
  })
})
