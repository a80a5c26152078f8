// Types for what TypeScript code (the unit tests' global setup) imports from build.mjs.
import type { BuildOptions } from 'esbuild'

export function uploadWorkerOptions(outfile: string, options?: { quiet?: boolean }): BuildOptions
export function ktpWorkerOptions(outfile: string, options?: { quiet?: boolean }): BuildOptions
export function integrityWorkerOptions(outfile: string, options?: { quiet?: boolean }): BuildOptions
export function buildAll(options?: { quiet?: boolean }): Promise<void>
