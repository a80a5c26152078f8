import { resolve } from 'node:path'
import * as esbuild from 'esbuild'

/**
 * Bundles a crash-test child once so each trial starts in tens of milliseconds instead of paying a TS loader.
 * The bundle lives in node_modules/.cache so it resolves better-sqlite3 from the project (ESM ignores NODE_PATH).
 */
export async function bundleChild(entry: string): Promise<string> {
  const name = entry.split('/').at(-1)!.replace(/\.ts$/, '')
  const outfile = resolve('node_modules', '.cache', 'posko-crash', `${name}-${process.pid}.mjs`)
  await esbuild.build({
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __poskoCreateRequire } from 'node:module'; const require = __poskoCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  return outfile
}
