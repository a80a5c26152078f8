import { createRequire } from 'node:module'
import { join, sep } from 'node:path'

/**
 * A `require` for the CommonJS packages this folder loads by path or lazily (Human's WASM build, node-webcam).
 * In the esbuild CommonJS bundle `require` is the bundle's own; under ESM (vitest, tsx) there is none and
 * `import.meta` would break the CommonJS build, so the working directory stands in: tests, benches and browser
 * mode all run from the repo root. `resolveFrom` (a file path) overrides both.
 */
export function moduleRequire(resolveFrom?: string): NodeJS.Require {
  if (resolveFrom) return createRequire(resolveFrom)
  if (typeof require === 'function') return require
  return createRequire(join(process.cwd(), 'package.json'))
}

const IN_ASAR = `${sep}app.asar${sep}`

/**
 * The real-file twin of a path inside the packaged app's asar. `require` resolves into app.asar, and Electron's
 * fs reads through it, but a path handed on to code that opens files itself (Emscripten's worker threads,
 * anything outside Electron's patched fs) must name the copy electron-builder unpacked (electron-builder.yml,
 * asarUnpack). Outside a packaged app the path comes back unchanged.
 */
export function unpackedPath(path: string): string {
  return path.replace(IN_ASAR, `${sep}app.asar.unpacked${sep}`)
}
