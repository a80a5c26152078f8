import { createRequire } from 'node:module'
import { join } from 'node:path'

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
