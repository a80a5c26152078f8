import { spawnSync } from 'node:child_process'
import { runInNewContext } from 'node:vm'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appPaths } from '../../main/paths'
import { uploadWorkerOptions } from '../../scripts/build.mjs'
import { tempDir } from './helpers'

/**
 * electron-builder.yml can't be exercised end to end here (Electron's zip is out of reach), so its essentials are
 * checked as data, against electron-builder's own schema, and the afterPack hook is run on a stand-in binary.
 */
const root = resolve(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
// Both come with electron-builder; neither has types, so each is given the one signature used here.
const yaml = require('js-yaml') as { load(text: string): unknown }
const builderConfig = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(config: unknown, logger: unknown): Promise<void> }
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

interface BuilderConfig {
  appId: string
  directories: { output: string; buildResources: string }
  files: string[]
  extraResources: Array<{ from: string; to: string; filter: string[] }>
  asar: boolean
  asarUnpack: string[]
  afterPack: string
  publish: { provider: string; url: string; channel: string }
  linux: { target: string[]; executableName: string }
  deb: { fpm: string[] }
  win: { target: string[] }
  nsis: { oneClick: boolean; perMachine: boolean; allowElevation: boolean; deleteAppDataOnUninstall: boolean; include?: string }
}

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig

interface HookContext {
  appOutDir: string
  electronPlatformName: string
  packager: { executableName?: string; appInfo: { productFilename: string } }
}
interface Hook {
  afterPack(context: HookContext): Promise<void>
  electronBinaryPath(context: HookContext): string
  POSKO_FUSES: Record<string, unknown>
}
const loadHook = async () => (await import(pathToFileURL(resolve(root, config.afterPack)).href)) as Hook

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron 39's defaults, in wire order: RunAsNode, cookies, NODE_OPTIONS, inspect, asar integrity, only-asar, snapshot, file://, wasm traps. */
const ELECTRON_DEFAULTS = '101100011'

/** A stand-in for the Electron executable: random bytes around the fuse wire, where @electron/fuses looks. */
function fakeElectron(file: string): void {
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, ELECTRON_DEFAULTS.length]), Buffer.from(ELECTRON_DEFAULTS)])
  writeFileSync(file, Buffer.concat([randomBytes(100_000), wire, randomBytes(5000)]))
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder (its own schema)', async () => {
    await expect(builderConfig.validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('builds the deb for Linux and a per-machine one-click NSIS installer for Windows', () => {
    expect(config.linux.target).toEqual(['deb'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: true, allowElevation: true })
    // The queue lives in the app data folder.
    expect(config.nsis.deleteAppDataOnUninstall).toBe(false)
    // The post network's port and mDNS get firewall rules for the app's exe, added on install, removed on uninstall.
    const nsh = readFileSync(config.nsis.include!, 'utf8')
    expect(nsh).toMatch(/!macro customInstall[\s\S]*netsh advfirewall firewall add rule name="Posko post network" dir=in action=allow protocol=TCP program="\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}"/)
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*netsh advfirewall firewall delete rule name="Posko post network"/)
  })

  it('packs the app into an asar (native modules unpacked) and runs the fuses hook after packing', () => {
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toContain('**/*.node')
    expect(config.afterPack).toBe('./resources/build/after-pack.mjs')
    expect(existsSync(resolve(root, config.afterPack))).toBe(true)
  })

  it('publishes to a generic feed whose URL comes from outside the file, on the latest channel', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: '${env.POSKO_UPDATE_URL}', channel: 'latest' })
  })

  it('ships the built main, preload and renderer, and no source maps', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/preload/**', 'dist/renderer/**', 'package.json', '!**/*.map']))
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }
    expect(pkg.main).toBe('dist/main/index.cjs')
  })

  it('builds the upload worker into dist/main, which ships, and main looks for it there', () => {
    expect(uploadWorkerOptions('dist/main/upload-worker.cjs')).toMatchObject({ entryPoints: ['main/services/upload/worker-entry.ts'], platform: 'node', format: 'cjs' })
    expect(appPaths('/opt/Posko/resources/app.asar/dist/main', '/opt/Posko/resources', true).uploadWorker).toBe('/opt/Posko/resources/app.asar/dist/main/upload-worker.cjs')
    expect(config.files).toContain('dist/main/**')
  })

  it('ships resources/ (region data, models, default config) where main/paths.ts looks, without the build folder', () => {
    expect(config.extraResources).toEqual([{ from: 'resources', to: 'resources', filter: ['**/*', '!build/**'] }])
    expect(appPaths('/opt/Posko/resources/app.asar/dist/main', '/opt/Posko/resources', true).resources).toBe('/opt/Posko/resources/resources')
    for (const file of ['regions/regions.json', 'models/blazeface.json', 'models/blazeface.bin', 'default-config.json']) {
      expect(existsSync(join(root, 'resources', file)), file).toBe(true)
    }
  })

  it('has an icon electron-builder can use (a PNG of at least 256×256 in buildResources)', () => {
    expect(config.directories.buildResources).toBe('resources/build')
    const png = readFileSync(join(root, 'resources', 'build', 'icon.png'))
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(256)
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(256)
  })
})

describe('afterPack: fuses', () => {
  const wanted: Array<[FuseV1Options, FuseState]> = [
    [FuseV1Options.RunAsNode, FuseState.DISABLE],
    [FuseV1Options.EnableCookieEncryption, FuseState.ENABLE],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseState.DISABLE],
    [FuseV1Options.EnableNodeCliInspectArguments, FuseState.DISABLE],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, FuseState.ENABLE],
    [FuseV1Options.OnlyLoadAppFromAsar, FuseState.ENABLE],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, FuseState.DISABLE],
  ]

  it.each([
    ['linux', 'posko'],
    ['win32', 'Posko.exe'],
  ])('flips RunAsNode, NODE_OPTIONS, inspect off and cookie encryption, asar integrity, only-asar on (%s)', async (platform, binary) => {
    const hook = await loadHook()
    const appOutDir = tempDir('posko-pack-')
    const context: HookContext = { appOutDir, electronPlatformName: platform, packager: { executableName: config.linux.executableName, appInfo: { productFilename: 'Posko' } } }
    expect(hook.electronBinaryPath(context)).toBe(join(appOutDir, binary))
    fakeElectron(join(appOutDir, binary))
    await hook.afterPack(context)
    const wire = await getCurrentFuseWire(join(appOutDir, binary))
    for (const [fuse, state] of wanted) expect([FuseV1Options[fuse], wire[fuse]]).toEqual([FuseV1Options[fuse], state])
    // Fuses Posko has no opinion on keep Electron's defaults.
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(FuseState.DISABLE)
  })

  it('configures exactly the fuses STYLE.md lists, and file:// without extra privileges', async () => {
    const { POSKO_FUSES } = await loadHook()
    const keys = Object.keys(POSKO_FUSES).filter((k) => k !== 'version').map((k) => FuseV1Options[Number(k)])
    expect(keys.sort()).toEqual(wanted.map(([fuse]) => FuseV1Options[fuse]).sort())
  })

  it('fails the build on a binary without a fuse wire instead of shipping it unfused', async () => {
    const hook = await loadHook()
    const appOutDir = tempDir('posko-pack-')
    mkdirSync(appOutDir, { recursive: true })
    writeFileSync(join(appOutDir, 'posko'), randomBytes(10_000))
    await expect(hook.afterPack({ appOutDir, electronPlatformName: 'linux', packager: { executableName: 'posko', appInfo: { productFilename: 'Posko' } } })).rejects.toThrow(/sentinel/)
  })
})

describe('npm run dist', () => {
  interface Dist {
    builderArgs(argv: string[]): string[]
    builderCli(projectRoot: string): string
    builderCommand(o: { nodePath: string; cli: string; argv: string[] }): { command: string; args: string[] }
    feedUrl(env: Record<string, string | undefined>): string
    explainFailure(stdout: string, stderr: string, spawnError?: Error): string
  }
  const loadDist = async () => (await import(pathToFileURL(join(root, 'scripts', 'dist.mjs')).href)) as Dist

  it('never publishes as a side effect, fills in a feed URL, and explains an offline failure in one line', async () => {
    const dist = await loadDist()
    expect(dist.builderArgs(['--linux'])).toEqual(['--config', 'electron-builder.yml', '--linux', '--publish', 'never'])
    expect(dist.builderArgs(['--publish', 'always'])).toEqual(['--config', 'electron-builder.yml', '--publish', 'always'])
    expect(dist.feedUrl({ POSKO_UPDATE_URL: 'https://updates.example.id/posko/' })).toBe('https://updates.example.id/posko/')
    expect(dist.feedUrl({})).toMatch(/^https:\/\/.+\.invalid\//)
    const offline = dist.explainFailure('  • packaging  platform=linux', '  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build')
    expect(offline).toMatch(/^Posko: .*cannot reach them/)
    expect(offline.split('\n')).toHaveLength(1)
    expect(dist.explainFailure('', 'Error: something else')).toContain('something else')
  })

  it.each([
    ['win32', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\posko\\node_modules\\electron-builder\\cli.js'],
    ['linux', '/usr/bin/node', '/home/it/posko/node_modules/electron-builder/cli.js'],
  ])('starts electron-builder as Node on its cli.js, never through npx or a shell (%s)', async (_platform, nodePath, cli) => {
    const dist = await loadDist()
    const { command, args } = dist.builderCommand({ nodePath, cli, argv: ['--win'] })
    expect(command).toBe(nodePath)
    expect(args).toEqual([cli, '--config', 'electron-builder.yml', '--win', '--publish', 'never'])
    expect([command, ...args].some((part) => /(^|[\\/])npx(\.cmd)?$/.test(part))).toBe(false)
  })

  it("resolves electron-builder's CLI from the project's node_modules", async () => {
    const dist = await loadDist()
    const cli = dist.builderCli(root)
    expect(cli).toMatch(/electron-builder[\\/]cli\.js$/)
    expect(existsSync(cli)).toBe(true)
  })

  it('never prints an empty failure: the spawn error, else stderr, else the end of stdout', async () => {
    const dist = await loadDist()
    expect(dist.explainFailure('', '', Object.assign(new Error('spawn npx EINVAL'), { code: 'EINVAL' }))).toBe('Posko: electron-builder could not be started: spawn npx EINVAL')
    expect(dist.explainFailure('  • building\n  ⨯ Please specify project homepage', '')).toContain('Please specify project homepage')
    expect(dist.explainFailure('', '')).toContain('(no output)')
  })
})

/** @electron/asar (electron-builder's own dependency); the two calls used here. */
const asar = require('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[]
  extractFile(archive: string, file: string): Buffer
}

/**
 * What native code or a native loader opens by path, so it must sit outside app.asar: Node addons, shared
 * libraries (libvips is `libvips-cpp.so.8.17.3`: a version after `.so`), executables, and the tfjs WASM backend's
 * files (face-detector.ts hands its folder to Emscripten, whose threaded build starts workers from files there),
 * Tesseract's WASM builds and its English model (main/services/ktp/tesseract.ts).
 */
const LOADED_FROM_DISK = [/\.node$/, /\.so(\.\d+)*$/, /\.dll$/, /\.dylib$/, /\.exe$/, /\/@tensorflow\/tfjs-backend-wasm\/[^/]+\/[^/]+\.wasm$/, /\/tesseract\.js-core\/[^/]+\.wasm$/, /\/@tesseract\.js-data\/eng\/4\.0\.0_best_int\/eng\.traineddata\.gz$/]

describe('packed by electron-builder (offline, Linux deb, real node_modules)', () => {
  let appOutDir = ''
  let run: { status: number | null; stderr: string; stdout: string }
  let fpmArgs: string[] = []
  const archive = () => join(appOutDir, 'resources', 'app.asar')
  const entries = () =>
    asar.listPackage(archive(), { isPack: true }).map((line) => {
      const [state = '', path = ''] = line.split(/\s*:\s(.*)/s)
      return { unpacked: state.trim() === 'unpack', path: path.replace(/\\/g, '/') }
    })

  // One pack (~10 s) for every test below, so not tempDir(), which is emptied after each test.
  const work = mkdtempSync(join(tmpdir(), 'posko-dist-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  beforeAll(() => {
    const result = spawnSync(process.execPath, [join(root, 'test', 'fixtures', 'pack-offline.mjs'), 'deb', work], { encoding: 'utf8', timeout: 120_000 })
    run = { status: result.status, stderr: result.stderr, stdout: result.stdout }
    appOutDir = join(work, 'release', 'linux-unpacked')
    const last = result.stdout.trim().split('\n').pop() ?? ''
    if (last.startsWith('{')) fpmArgs = (JSON.parse(last) as { fpmArgs: string[] | null }).fpmArgs ?? []
  }, 120_000)

  it('gets through the deb target up to fpm (package metadata complete)', () => {
    expect(run.stderr.split('\n').filter((l) => /Error/.test(l)).join('\n')).toBe('')
    expect(run.status).toBe(0)
  })

  it('keeps every file native code loads by path outside the asar (sharp, libvips, better-sqlite3, tfjs WASM, Tesseract WASM and model)', () => {
    const native = entries().filter((e) => LOADED_FROM_DISK.some((re) => re.test(e.path)))
    // The ones Posko can't start or take photos without are there at all.
    for (const needed of [/better_sqlite3\.node$/, /sharp-linux-x64\.node$/, /libvips-cpp\.so\./, /tfjs-backend-wasm-simd\.wasm$/, /tesseract-core-simd-lstm\.wasm$/, /eng\.traineddata\.gz$/]) {
      expect(native.some((e) => needed.test(e.path)), String(needed)).toBe(true)
    }
    expect(native.filter((e) => !e.unpacked).map((e) => e.path)).toEqual([])
    for (const e of native) expect(existsSync(join(appOutDir, 'resources', 'app.asar.unpacked', e.path)), e.path).toBe(true)
  })

  it('unpacks sharp and @img whole (sharp resolves its binaries by package path, as its Electron docs ask)', () => {
    // Folders carry no unpack flag of their own in the header; files do.
    const isFile = (path: string) => statSync(join(root, path)).isFile()
    const packed = entries().filter((e) => /^\/node_modules\/(sharp|@img)\//.test(e.path) && !e.unpacked && isFile(e.path))
    expect(packed.map((e) => e.path)).toEqual([])
  })

  it("carries package-type deb (electron-updater's DebUpdater) and a feed config for the posko-updater cache", () => {
    expect(readFileSync(join(appOutDir, 'resources', 'package-type'), 'utf8').trim()).toBe('deb')
    const update = yaml.load(readFileSync(join(appOutDir, 'resources', 'app-update.yml'), 'utf8')) as Record<string, string>
    // The polkit rule (resources/build/deb/) allows exactly the .deb files under this cache folder.
    expect(update).toMatchObject({ provider: 'generic', updaterCacheDirName: 'posko-updater' })
  })

  it('puts the polkit rule into the deb (fpm src=dest, source relative to the project)', () => {
    const mapping = fpmArgs.find((a) => a.endsWith('=/usr/share/polkit-1/rules.d/50-posko-update.rules'))
    expect(mapping).toBeDefined()
    expect(existsSync(join(root, (mapping ?? '').split('=')[0]!))).toBe(true)
  })

  it("launches as Posko: the posko executable (fuses set), package.json's main inside the asar", async () => {
    const binary = join(appOutDir, 'posko')
    expect(existsSync(binary)).toBe(true)
    const wire = await getCurrentFuseWire(binary)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    const pkg = JSON.parse(asar.extractFile(archive(), 'package.json').toString('utf8')) as { name: string; productName: string; main: string }
    expect(pkg).toMatchObject({ name: 'posko', productName: 'Posko', main: 'dist/main/index.cjs' })
    expect(entries().some((e) => e.path === `/${pkg.main}` && !e.unpacked)).toBe(true)
  })
})

describe('Linux package types', () => {
  // electron-builder builds every Linux target from one linux-unpacked, concurrently; fpm targets (deb, rpm, pacman)
  // write resources/package-type there (app-builder-lib FpmTarget.build), AppImage writes none. Together, an AppImage
  // would carry another target's type and electron-updater (main.js doLoadAutoUpdater) would run DebUpdater in it.
  it('never builds an AppImage in the same run as a deb, rpm or pacman', () => {
    const targets = config.linux.target.map((t) => t.toLowerCase())
    const fpm = targets.filter((t) => ['deb', 'rpm', 'pacman'].includes(t))
    expect(targets.includes('appimage') && fpm.length > 0).toBe(false)
    // One fpm target at most, too: two would race over the same file.
    expect(fpm.length).toBeLessThanOrEqual(1)
  })
})

describe('the polkit rule for unattended deb updates', () => {
  type Verdict = string | null
  const source = readFileSync(join(root, 'resources', 'build', 'deb', '50-posko-update.rules'), 'utf8')
  const rules: Array<(action: unknown, subject: unknown) => Verdict> = []
  runInNewContext(source, { polkit: { addRule: (rule: (a: unknown, s: unknown) => Verdict) => rules.push(rule), Result: { YES: 'yes', NOT_HANDLED: null } } })
  const pending = '/home/kiosk/.cache/posko-updater/pending/posko_1.5.0_amd64.deb'
  const ask = (commandLine: string, options: { program?: string; groups?: string[]; local?: boolean; active?: boolean; id?: string } = {}) => {
    const details: Record<string, string> = { program: options.program ?? '/bin/bash', command_line: commandLine }
    const action = { id: options.id ?? 'org.freedesktop.policykit.exec', lookup: (key: string) => details[key] }
    const groups = options.groups ?? ['posko-update']
    const subject = { local: options.local ?? true, active: options.active ?? true, isInGroup: (g: string) => groups.includes(g) }
    return rules[0]!(action, subject)
  }

  it("allows exactly electron-updater's pkexec install of a Posko deb from the kiosk's update cache", () => {
    expect(rules).toHaveLength(1)
    expect(ask(`/bin/bash -c dpkg -i ${pending}`)).toBe('yes')
    expect(ask(`/usr/bin/bash -c dpkg -i ${pending}`, { program: '/usr/bin/bash' })).toBe('yes')
  })

  it.each([
    ['another command', `/bin/bash -c apt-get install -f -y`],
    ['a second command', `/bin/bash -c dpkg -i ${pending}; id`],
    ['a second package', `/bin/bash -c dpkg -i ${pending} /tmp/x.deb`],
    ['another folder', `/bin/bash -c dpkg -i /tmp/posko-updater/pending/posko_1.5.0_amd64.deb`],
    ['a climb out of the cache', `/bin/bash -c dpkg -i /home/kiosk/.cache/posko-updater/pending/../../../x/posko_1_amd64.deb`],
    ['another package name', `/bin/bash -c dpkg -i /home/kiosk/.cache/posko-updater/pending/evil_1.5.0_amd64.deb`],
  ])('does not allow %s', (_what, commandLine) => {
    expect(ask(commandLine)).toBeNull()
  })

  it('answers nothing outside the posko-update group, a remote or inactive session, or another program or action', () => {
    const line = `/bin/bash -c dpkg -i ${pending}`
    expect(ask(line, { groups: ['sudo'] })).toBeNull()
    expect(ask(line, { local: false })).toBeNull()
    expect(ask(line, { active: false })).toBeNull()
    expect(ask(line, { program: '/usr/bin/python3' })).toBeNull()
    expect(ask(line, { id: 'org.freedesktop.packagekit.package-install' })).toBeNull()
  })
})
