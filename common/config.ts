import { z } from 'zod'
import { KioskMode, Language } from './settings'
import { isSecureCentralUrl } from './central-url'
import { PhotoThresholds } from './photo-thresholds'
import { ReceiptPaper } from './receipt'

/** One zod-validated file per kiosk (DESIGN.md §9). Unknown keys are refused so a typo is not silently ignored. */
export const KioskConfig = z.strictObject({
  postId: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'post id: 2–20 capitals, digits or dashes'),
  postName: z.string().min(1).max(80),
  centralUrl: z.url({ protocol: /^https?$/ }).refine(isSecureCentralUrl, 'centralUrl: https only (http only to this machine, 127.0.0.1 or localhost)'),
  updateUrl: z.url({ protocol: /^https?$/ }).optional(),
  mode: KioskMode.default('assisted'),
  language: Language.default('id'),
  retentionDays: z.number().int().min(0).max(365).default(7),
  /** A signed-in session locks itself after this much inactivity; the draft stays behind the lock screen. */
  sessionTimeoutMinutes: z.number().int().min(1).max(120).default(5),
  /** A registration needs a face photo and a KTP photo that passed the quality gate (or were overridden by staff). */
  requirePhotos: z.boolean().default(true),
  /** Self-service registrations wait for a staff member's approval before they are uploaded. */
  selfServiceReview: z.boolean().default(false),
  /** Self-service: "Masih di sini?" after this much inactivity; the draft is wiped and welcome returns after reset. */
  idle: z
    .strictObject({ warnSeconds: z.number().int().min(10).max(600).default(60), resetSeconds: z.number().int().min(15).max(900).default(90) })
    .refine((i) => i.resetSeconds > i.warnSeconds, 'resetSeconds must be after warnSeconds')
    .prefault({}),
  /** Receipts: the OS print dialog, or straight to the default printer without a dialog (a post's fixed printer). */
  receiptPrint: z.enum(['dialog', 'silent']).default('dialog'),
  /** The receipt's paper: an office printer (A4), or a 80 mm / 58 mm thermal roll printer (common/receipt.ts). */
  receiptPaper: ReceiptPaper.default('a4'),
  /** The programme's title as printed on receipts. */
  programmeTitle: z.string().trim().min(3).max(120).default('Program Pelatihan Kerja'),
  /** Where photos come from: the renderer's getUserMedia, or fswebcam on the OS side (node-webcam). */
  camera: z
    .strictObject({ source: z.enum(['renderer', 'main']).default('renderer'), device: z.string().max(200).default('/dev/video0') })
    .prefault({}),
  photoThresholds: PhotoThresholds.prefault({}),
  /**
   * A packaged kiosk whose OS can seal the vault key neither with a keyring nor with a TPM keeps it in a plain file
   * (protection `none`): it then registers nobody unless IT allows it here, knowing a copied disk opens every record.
   */
  allowUnprotectedKey: z.boolean().default(false),
  /**
   * The post network (DESIGN §11): the TCP port the desks listen on (the installers open it), DNS-SD on the LAN, and
   * addresses IT types ("192.168.1.12" or "192.168.1.12:47710") where multicast does not get through.
   */
  network: z
    .strictObject({
      port: z.number().int().min(1024).max(65535).default(47710),
      mdns: z.boolean().default(true),
      peers: z.array(z.string().min(1).max(100)).max(32).default([]),
    })
    .prefault({}),
})
export type KioskConfig = z.infer<typeof KioskConfig>
