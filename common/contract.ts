import { z } from 'zod'

/**
 * The one table of the IPC surface. Main's dispatcher, the preload bridge, the renderer's client and the test
 * harness are all derived from it, so a channel cannot exist in one place only.
 */

export const Language = z.enum(['id', 'en'])
export type Language = z.infer<typeof Language>

export const KioskMode = z.enum(['assisted', 'self-service'])
export type KioskMode = z.infer<typeof KioskMode>

/** A registration's life on the kiosk (DESIGN.md §5). `draft` never reaches the store. */
export const RecordState = z.enum(['queued', 'uploading', 'accepted', 'duplicate', 'rejected', 'exported', 'purged'])
export type RecordState = z.infer<typeof RecordState>

export const AppInfo = z.object({
  version: z.string(),
  postId: z.string(),
  postName: z.string(),
  mode: KioskMode,
  language: Language,
})
export type AppInfo = z.infer<typeof AppInfo>

export const QueueStatus = z.object({
  counts: z.record(RecordState, z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  lastSyncAt: z.string().nullable(),
})
export type QueueStatus = z.infer<typeof QueueStatus>

const NoInput = z.void()

export const contract = {
  'app.info': { input: NoInput, output: AppInfo },
  'settings.setLanguage': { input: z.strictObject({ language: Language }), output: AppInfo },
  'queue.status': { input: NoInput, output: QueueStatus },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

/** Events main pushes to the renderer through the one `posko.on(event, cb)`. */
export const events = {
  'queue.changed': QueueStatus,
  'settings.changed': AppInfo,
} as const satisfies Record<string, z.ZodType>

export type Contract = typeof contract
export type Channel = keyof Contract
export type EventName = keyof typeof events
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const channels = Object.keys(contract) as Channel[]
export const eventNames = Object.keys(events) as EventName[]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}
