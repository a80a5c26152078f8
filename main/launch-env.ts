import { join } from 'node:path'

/** Where the kiosk keeps its data and how it starts, from the environment only where that is safe. */
export interface LaunchSettings {
  dataDir: string
  /** better-sqlite3 built for Electron's ABI (`npm start`'s .electron-native copy); the bundled one otherwise. */
  nativeBinding: string | undefined
  /** `npm start`'s local demo central; never on a post. */
  demoCentral: { url: string | undefined; token: string | undefined } | null
  /** The environment variables set but ignored, for one warning line. */
  ignored: string[]
}

const DEVELOPMENT_ONLY = ['POSKO_DATA_DIR', 'POSKO_SQLITE_BINDING', 'POSKO_CENTRAL_URL', 'POSKO_CENTRAL_TOKEN'] as const

/**
 * A packaged kiosk ignores the development variables: whoever can set an environment variable for the kiosk's
 * session could otherwise point it at another data folder (a planted database), another native module (code), or
 * another central. Unpackaged (`npm start`, the Electron spec) they are how a developer points the app.
 */
export function launchSettings(env: Readonly<Record<string, string | undefined>>, options: { packaged: boolean; userData: string }): LaunchSettings {
  const defaultDataDir = join(options.userData, 'data')
  if (options.packaged) {
    return { dataDir: defaultDataDir, nativeBinding: undefined, demoCentral: null, ignored: DEVELOPMENT_ONLY.filter((name) => env[name] !== undefined) }
  }
  return {
    dataDir: env.POSKO_DATA_DIR ?? defaultDataDir,
    nativeBinding: env.POSKO_SQLITE_BINDING,
    demoCentral: { url: env.POSKO_CENTRAL_URL, token: env.POSKO_CENTRAL_TOKEN },
    ignored: [],
  }
}
