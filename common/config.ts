import { z } from 'zod'
import { KioskMode, Language } from './contract'

/** One zod-validated file per kiosk (DESIGN.md §9). Unknown keys are refused so a typo is not silently ignored. */
export const KioskConfig = z.strictObject({
  postId: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'post id: 2–20 capitals, digits or dashes'),
  postName: z.string().min(1).max(80),
  centralUrl: z.url({ protocol: /^https?$/ }),
  updateUrl: z.url({ protocol: /^https?$/ }).optional(),
  mode: KioskMode.default('assisted'),
  language: Language.default('id'),
  retentionDays: z.number().int().min(0).max(365).default(7),
  /** A signed-in session locks itself after this much inactivity; the draft stays behind the lock screen. */
  sessionTimeoutMinutes: z.number().int().min(1).max(120).default(5),
})
export type KioskConfig = z.infer<typeof KioskConfig>
