import { describe, expect, it } from 'vitest'
import * as esbuild from 'esbuild'
import type { Transport } from '../../common/api'
import { createPoskoApi } from '../../common/api'
import { channels } from '../../common/contract'
// @ts-expect-error plain ESM build script without types
import { assertPreloadSelfContained } from '../../scripts/build.mjs'

describe('createPoskoApi', () => {
  it('exposes one method per contract channel, routed to the transport, and one on()', async () => {
    const invoked: Array<[string, unknown]> = []
    const transport: Transport = {
      invoke: async (channel, input) => {
        invoked.push([channel, input])
        return { ok: true, value: null }
      },
      subscribe: () => () => undefined,
    }
    const api = createPoskoApi(transport) as unknown as Record<string, Record<string, (i?: unknown) => Promise<unknown>>>
    for (const channel of channels) {
      const [group, method] = channel.split('.') as [string, string]
      expect(typeof api[group]?.[method]).toBe('function')
      await api[group]![method]!({ probe: channel })
    }
    expect(invoked.map(([c]) => c)).toEqual(channels)
    expect(typeof (api as unknown as { on: unknown }).on).toBe('function')
  })
})

describe('the sandboxed preload bundle', () => {
  it('requires nothing at run time but electron', async () => {
    const result = await esbuild.build({
      entryPoints: ['preload/index.ts'],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      metafile: true,
      logLevel: 'silent',
    })
    expect(() => assertPreloadSelfContained(result.metafile)).not.toThrow()
    const text = result.outputFiles[0]!.text
    const required = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(new Set(required)).toEqual(new Set(['electron']))
  })

  it('the guard rejects a preload that would require an npm package', () => {
    const metafile = { outputs: { 'x.cjs': { imports: [{ path: 'electron', external: true }, { path: 'zod', external: true }] } } }
    expect(() => assertPreloadSelfContained(metafile)).toThrow(/zod/)
  })
})
