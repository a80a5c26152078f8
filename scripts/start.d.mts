// Types for what the unit tests (test/unit/start-script.test.ts) import from start.mjs: its pure command builders.

type Platform = NodeJS.Platform

/** A command to spawn: never a shell, never npx; `options.env` overrides the inherited environment (null unsets). */
export interface CommandSpec {
  command: string
  args: string[]
  options: { cwd?: string; shell: false; env?: Record<string, string | null> }
}

export interface RunResult {
  status: number | null
  signal: NodeJS.Signals | null
  stdout?: string | null
  stderr?: string | null
  error?: { code?: string; message: string }
}

export interface SandboxProblem {
  /** Set when the problem is running as root, which no helper fixes. */
  asRoot?: boolean
  helper: string | null
  reason: string
}

export const ELECTRON_HEADERS_URL: string

export function electronExecutable(options: { platform: Platform; electronDir: string; pathTxt: string | null; overrideDist?: string }): string | null
export function electronDownloadCommand(options: { execPath: string; platform: Platform; electronDir: string }): CommandSpec
export function nativePaths(options: { platform: Platform; root: string }): { dir: string; work: string; built: string; binding: string; stamp: string }
export function nativeStamp(options: { electronVersion: string; platform: Platform; arch: string; sqliteVersion: string }): string
export function prebuildInstallCommand(options: {
  execPath: string
  prebuildInstallBin: string
  electronVersion: string
  platform: Platform
  arch: string
  moduleDir: string
}): CommandSpec
export function nodeGypCommand(options: { execPath: string; nodeGypJs: string; electronVersion: string; arch: string; moduleDir: string; devDir: string }): CommandSpec
export function childEnv(base: Record<string, string | undefined>, overrides?: Record<string, string | null>): Record<string, string | undefined>
export function addonAbi(binary: Buffer): number | null
export function nodeGypSearchPaths(options: { platform: Platform; root: string; execPath: string; npmExecPath?: string }): string[]
export function launchCommand(options: { electron: string; root: string; noSandbox: boolean }): CommandSpec
export function launchEnv(
  base: Record<string, string | undefined>,
  options: { dataDir: string; binding: string; central: { url: string; token: string } | null },
): Record<string, string | undefined>
export function linuxSandboxProblem(options: {
  platform: Platform
  uid: number | undefined
  helper: { path: string; uid: number; mode: number } | null
  sysctl: { apparmorRestrict?: string | null; usernsClone?: string | null; maxUserNamespaces?: string | null }
}): SandboxProblem | null
export function sandboxAdvice(problem: SandboxProblem): string
export function isNetworkFailure(text: string): boolean
export function isToolchainFailure(text: string): boolean
export function reasonIn(text: string | null | undefined, count?: number): string
export function describeRun(result: RunResult, timeoutMs: number): string
export function rebuildAdvice(options: {
  platform: Platform
  electronVersion: string
  prebuilt: { summary: string; text: string }
  compiled: { summary: string; text: string }
}): string
export function exitCodeOf(code: number | null | undefined, signal: NodeJS.Signals | null | undefined): number
