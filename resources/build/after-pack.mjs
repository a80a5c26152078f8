// electron-builder `afterPack` hook: burns Electron's fuses into the packaged binary before it is signed and
// wrapped into the deb or NSIS installer (STYLE.md: @electron/fuses in afterPack). Fuses are bits in the executable, so a
// kiosk's own user can't turn them back on with an environment variable or a command-line flag.
import { join } from 'node:path'
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses'

/** The fuses every Posko build ships with, and why. */
export const POSKO_FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a general-purpose Node for anyone at the kiosk.
  [FuseV1Options.RunAsNode]: false,
  // Cookies (the session's) encrypted with the OS keystore, like the vault key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS=--require … and --inspect would run foreign code inside main with the vault key in reach.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The asar's header hash (written by electron-builder: Info.plist on macOS, a resource in the Windows exe) is
  // checked at start; Linux has no embedded check yet (Electron 39), there the files' ownership is the guard.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Without this, an app/ folder beside app.asar would be loaded instead and bypass the integrity check.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // file:// pages get no extra powers (Electron's legacy default): Posko serves itself from app://, and a file://
  // page reached by any means would otherwise read local files through fetch and be treated as privileged.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

const EXTENSIONS = { darwin: '.app', mas: '.app', win32: '.exe', linux: '' }

/** Where electron-builder put the Electron executable (same rule as its own addElectronFuses). */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const ext = EXTENSIONS[electronPlatformName]
  if (ext === undefined) throw new Error(`after-pack: unknown platform ${electronPlatformName}`)
  const name = electronPlatformName === 'linux' ? packager.executableName : packager.appInfo.productFilename
  return join(appOutDir, `${name}${ext}`)
}

export async function afterPack(context) {
  const binary = electronBinaryPath(context)
  await flipFuses(binary, { ...POSKO_FUSES, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' })
  // Read back: a build whose fuses didn't take must fail here, not ship.
  const wire = await getCurrentFuseWire(binary)
  const wrong = Object.entries(POSKO_FUSES)
    .filter(([key]) => key !== 'version')
    .filter(([key, on]) => wire[key] !== (on ? FuseState.ENABLE : FuseState.DISABLE))
    .map(([key]) => FuseV1Options[key])
  if (wrong.length > 0) throw new Error(`after-pack: fuses not set in ${binary}: ${wrong.join(', ')}`)
  console.log(`  • fuses set  ${binary}`)
}

export default afterPack
