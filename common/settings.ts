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
  /**
   * The post's own province and regency/city, read by main from its id (`JT-3578-01` → 35, 35.78): a home address
   * still without a region starts there (issue 19.4). Null for an id that names no region.
   */
  postRegion: z.object({ provinceCode: z.string().regex(/^\d{2}$/), regencyCode: z.string().regex(/^\d{2}\.\d{2}$/) }).nullable(),
  mode: KioskMode,
  language: Language,
  /** Which camera the photo step uses. */
  cameraSource: z.enum(['renderer', 'main']),
  /** The KTP reader is installed (issue 20): with the renderer's camera, a registration starts by scanning the card. */
  ktpReader: z.boolean(),
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

/** The region a post id names: `<2 letters>-<PPRR>-<serial>`, as central's posts are numbered (JT-3578-01). */
export function postRegionOf(postId: string): AppInfo['postRegion'] {
  const match = /^[A-Z]{2}-(\d{2})(\d{2})-\d+$/.exec(postId)
  if (!match) return null
  const [, province, regency] = match as unknown as [string, string, string]
  return { provinceCode: province, regencyCode: `${province}.${regency}` }
}
