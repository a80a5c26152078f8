import { z } from 'zod'
import { ReceiptPaper } from './receipt'

/** The kiosk's language and mode, and what the renderer is told about the kiosk it runs on. */
export const Language = z.enum(['id', 'en'])
export type Language = z.infer<typeof Language>

export const KioskMode = z.enum(['assisted', 'self-service'])
export type KioskMode = z.infer<typeof KioskMode>

export const AppInfo = z.object({
  version: z.string(),
  postId: z.string(),
  postName: z.string(),
  mode: KioskMode,
  language: Language,
  /** Which camera the photo step uses. */
  cameraSource: z.enum(['renderer', 'main']),
  requirePhotos: z.boolean(),
  /** The receipt's paper (A4 or a thermal roll) and the programme's title on it (common/receipt.ts). */
  receiptPaper: ReceiptPaper,
  programmeTitle: z.string(),
  /** Self-service idle timings (seconds): warn, then wipe the draft and return to the welcome screen. */
  idle: z.object({ warnSeconds: z.number().int(), resetSeconds: z.number().int() }),
  /** Personal data is erased this many days after central accepted it (shown on the purge and About screens). */
  retentionDays: z.number().int(),
  /**
   * The kiosk's clock: fine, corrected to central's (by so many minutes), or implausible (years off, no central
   * time yet): then receipts would carry a wrong date, and every screen warns staff.
   */
  clock: z.discriminatedUnion('status', [
    z.object({ status: z.literal('ok') }),
    z.object({ status: z.literal('corrected'), offsetMinutes: z.number().int() }),
    z.object({ status: z.literal('implausible') }),
  ]),
})
export type AppInfo = z.infer<typeof AppInfo>
