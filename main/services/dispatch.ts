import type { z } from 'zod'
import type { Channel, ChannelOutput, ParsedInput } from '../../common/contract'
import { contract, isChannel } from '../../common/contract'
import type { Issue, PoskoErrorShape, Result } from '../../common/result'
import { DomainError, fail, ok } from '../../common/result'
import { isDiskFull } from './platform/disk'
import type { Logger } from './platform/logger'

/** Who is calling: the transport is recorded so logs can tell an IPC call from a browser-mode call. */
export interface CallContext {
  readonly transport: 'ipc' | 'web' | 'test'
}

export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>, ctx: CallContext) => ChannelOutput<C> | Promise<ChannelOutput<C>>
}

export type Dispatch = (channel: unknown, rawInput: unknown, ctx: CallContext) => Promise<Result<unknown>>

export interface DispatchOptions {
  /**
   * Decides whether the current session may call `channel` at all, before its input is even parsed: a caller
   * without the right learns nothing about the channel. Null allows; an error shape refuses.
   */
  authorize?: (channel: Channel, ctx: CallContext) => PoskoErrorShape | null
}

function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    code: i.code,
    message: i.message,
  }))
}

/**
 * The single door into the kiosk's services. Input is parsed before anything runs, so a bad input returns
 * `invalid_input` and touches nothing; thrown domain errors become typed codes; anything else becomes
 * `internal` (logged, never leaked). Outputs are parsed too: zod strips fields the contract does not name,
 * so a service cannot leak more than the contract promises.
 */
export function createDispatcher(handlers: Handlers, logger: Logger, options: DispatchOptions = {}): Dispatch {
  return async (channel, rawInput, ctx) => {
    if (!isChannel(channel)) {
      return fail({ code: 'unknown_channel', message: `Unknown channel: ${String(channel).slice(0, 80)}` })
    }
    const refusal = options.authorize?.(channel, ctx) ?? null
    if (refusal) return fail(refusal)
    const spec = contract[channel]
    const parsed = spec.input.safeParse(rawInput)
    if (!parsed.success) {
      return fail({ code: 'invalid_input', message: `Invalid input for ${channel}`, issues: toIssues(parsed.error) })
    }
    try {
      const handler = handlers[channel] as (input: unknown, ctx: CallContext) => unknown
      const value = await handler(parsed.data, ctx)
      const checked = spec.output.safeParse(value)
      if (!checked.success) {
        logger.error('handler returned a value outside the contract', { channel, issues: toIssues(checked.error) })
        return fail({ code: 'internal', message: 'Internal error' })
      }
      return ok(checked.data)
    } catch (error) {
      if (error instanceof DomainError) {
        return fail({
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
          ...(error.issues ? { issues: error.issues } : {}),
        })
      }
      if (isDiskFull(error)) {
        // Whatever was being written rolled back whole (SQLite's transaction, the durable write's temp file): say
        // so in words staff can act on instead of "internal".
        logger.error('disk full', { channel, transport: ctx.transport })
        return fail({ code: 'unavailable', message: 'The disk is full', details: { reason: 'disk_full' } })
      }
      logger.error('handler failed', { channel, transport: ctx.transport, error: String(error) })
      return fail({ code: 'internal', message: 'Internal error' })
    }
  }
}
