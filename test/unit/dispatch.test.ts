import { describe, expect, it } from 'vitest'
import { channels } from '../../common/contract'
import { DomainError } from '../../common/result'
import type { Handlers } from '../../main/services/dispatch'
import { createDispatcher } from '../../main/services/dispatch'
import { createMemoryLogger } from '../../main/services/platform/logger'

const info = { version: '1.0.0', postId: 'JT-01', postName: 'Test', postRegion: null, mode: 'assisted' as const, language: 'id' as const, cameraSource: 'renderer' as const, ktpReader: false, requirePhotos: true, receiptPaper: 'a4' as const, programmeTitle: 'Program Pelatihan Kerja', idle: { warnSeconds: 60, resetSeconds: 90 }, retentionDays: 7, clock: { status: 'ok' as const } }
const ctx = { transport: 'test' as const }

function setup(overrides: Partial<Handlers> = {}) {
  const calls: unknown[] = []
  const logger = createMemoryLogger()
  // Channels this file does not exercise answer `internal` if reached: dispatch's behaviour is channel-agnostic.
  const unused = Object.fromEntries(channels.map((c) => [c, () => { throw new Error(`${c} not used here`) }])) as unknown as Handlers
  const handlers: Handlers = {
    ...unused,
    'app.info': () => info,
    'settings.setLanguage': (input) => {
      calls.push(input)
      return { ...info, language: input.language }
    },
    'queue.status': () => ({ counts: {} as never, total: 0, lastSyncAt: null, awaitingReview: 0 }),
    ...overrides,
  }
  return { dispatch: createDispatcher(handlers, logger), calls, logger }
}

describe('dispatch', () => {
  it('runs a valid call and returns its typed value', async () => {
    const { dispatch, calls } = setup()
    expect(await dispatch('settings.setLanguage', { language: 'en' }, ctx)).toEqual({ ok: true, value: { ...info, language: 'en' } })
    expect(calls).toEqual([{ language: 'en' }])
  })

  it.each([
    ['a wrong type', { language: 3 }],
    ['an unknown value', { language: 'fr' }],
    ['an extra field', { language: 'en', admin: true }],
    ['no input', undefined],
    ['a 10 MB string', { language: 'x'.repeat(10 * 1024 * 1024) }],
  ])('refuses %s with invalid_input and never runs the handler', async (_label, input) => {
    const { dispatch, calls } = setup()
    const result = await dispatch('settings.setLanguage', input, ctx)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input')
      expect(result.error.issues?.length).toBeGreaterThan(0)
    }
    expect(calls).toEqual([])
  })

  it('refuses input on a channel that takes none', async () => {
    const { dispatch } = setup()
    const result = await dispatch('app.info', { sneaky: 1 }, ctx)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it.each(['nope', '__proto__', 'constructor', 'toString', 42, null, { channel: 'app.info' }])(
    'answers unknown_channel for %j',
    async (channel) => {
      const { dispatch } = setup()
      expect(await dispatch(channel, undefined, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    },
  )

  it('turns a thrown domain error into its typed code with details', async () => {
    const { dispatch } = setup({
      'app.info': () => {
        throw new DomainError('duplicate_nik', 'already registered', { receiptNo: 'JT01-261125-0001' })
      },
    })
    expect(await dispatch('app.info', undefined, ctx)).toEqual({
      ok: false,
      error: { code: 'duplicate_nik', message: 'already registered', details: { receiptNo: 'JT01-261125-0001' } },
    })
  })

  it('hides unexpected failures behind internal and logs them', async () => {
    const { dispatch, logger } = setup({
      'app.info': () => {
        throw new Error('disk on fire at /home/secret')
      },
    })
    const result = await dispatch('app.info', undefined, ctx)
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } })
    expect(logger.entries.some((e) => e.level === 'error' && String(e.fields?.error).includes('disk on fire'))).toBe(true)
  })

  it('strips fields a handler returns beyond the contract, and refuses outputs that break it', async () => {
    const leaky = setup({ 'app.info': () => ({ ...info, secretKey: 'abc' }) as typeof info })
    const result = await leaky.dispatch('app.info', undefined, ctx)
    expect(result).toEqual({ ok: true, value: info })

    const broken = setup({ 'app.info': () => ({ ...info, mode: 'party' }) as unknown as typeof info })
    expect(await broken.dispatch('app.info', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'internal' } })
  })
})
