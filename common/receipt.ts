import { z } from 'zod'

/**
 * What a receipt is printed on (config `receiptPaper`): an office printer's A4 (the receipt takes the top of the
 * page), or a thermal roll printer's 80 mm or 58 mm paper (issue 19 point 8). The renderer's print stylesheet lays
 * the receipt out for it; Electron's print and PDF take the page size from `receiptPageMm`.
 */
export const ReceiptPaper = z.enum(['a4', '80mm', '58mm'])
export type ReceiptPaper = z.infer<typeof ReceiptPaper>

/**
 * The page each paper gets, in millimetres. A roll has no page length; 200 mm holds the whole receipt with its QR
 * code, and a roll printer's driver cuts after the printed part.
 */
export const receiptPageMm: Record<ReceiptPaper, { width: number; height: number }> = {
  a4: { width: 210, height: 297 },
  '80mm': { width: 80, height: 200 },
  '58mm': { width: 58, height: 200 },
}

/**
 * A NIK as a receipt shows it: the regency (first four digits) and the serial (last four), grouped for reading
 * aloud; the birth date and district in between are hidden. "3578 •••• •••• 0012".
 */
export function maskNik(nik: string): string {
  const digits = nik.replace(/\D/g, '')
  if (digits.length !== 16) return '•••• •••• •••• ••••'
  return `${digits.slice(0, 4)} •••• •••• ${digits.slice(12)}`
}
