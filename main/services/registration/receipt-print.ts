import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { KioskMode } from '../../../common/settings'
import { DomainError } from '../../../common/result'
import type { ReceiptPaper } from '../../../common/receipt'
import { receiptPageMm } from '../../../common/receipt'
import { localStamp } from '../platform/clock'
import { writeFileDurable } from '../platform/durable-file'

/** Electron's printing for the receipt page (main/printing.ts); absent in browser mode and tests. */
export interface ReceiptPrinter {
  /** To the default printer without a dialog (`silent`), or through the OS print dialog, on a page of `pageMm`. */
  print(silent: boolean, pageMm: PageMm): Promise<boolean>
  /** The receipt page as PDF bytes on a page of `pageMm`; null if there is no page to print. */
  pdf(pageMm: PageMm): Promise<Buffer | null>
}

export interface PageMm {
  width: number
  height: number
}

/**
 * The page Electron prints the receipt on, in microns as its `pageSize` takes it: the paper's from
 * common/receipt.ts. A4 posts keep an A5 PDF copy (the receipt fills the top half of an A4 page anyway).
 */
export function receiptPage(paper: ReceiptPaper, forPdf: boolean): PageMm {
  if (paper === 'a4' && forPdf) return { width: 148, height: 210 }
  return receiptPageMm[paper]
}

export type PrintDecision = { action: 'print'; silent: boolean } | { action: 'pdf' } | { action: 'refuse'; reason: 'self_service_dialog' | 'self_service_pdf' }

/**
 * What a receipt print may do on this kiosk. The OS print dialog can "print to file" anywhere the kiosk's account
 * may write (posko.db included), so an applicant at a self-service kiosk never gets it, nor a PDF: there only a
 * silent print to the post's printer. Staff get the dialog when IT set the kiosk up so, and PDF copies in a folder
 * Posko owns (no save dialog on a kiosk either).
 */
export function decidePrint(input: { mode: KioskMode; pdf: boolean; receiptPrint: 'dialog' | 'silent' }): PrintDecision {
  if (input.mode === 'self-service') {
    if (input.pdf) return { action: 'refuse', reason: 'self_service_pdf' }
    if (input.receiptPrint !== 'silent') return { action: 'refuse', reason: 'self_service_dialog' }
    return { action: 'print', silent: true }
  }
  return input.pdf ? { action: 'pdf' } : { action: 'print', silent: input.receiptPrint === 'silent' }
}

/** `receipt.print`, decided by `decidePrint`; PDF copies go to `<dataDir>/receipts/` (a receipt holds no personal data). */
export function createReceiptPrinting(deps: {
  printer: ReceiptPrinter | undefined
  receiptPrint: 'dialog' | 'silent'
  receiptPaper: ReceiptPaper
  mode: () => KioskMode
  dataDir: string
  now: () => Date
}) {
  return async ({ pdf }: { pdf: boolean }): Promise<{ printed: boolean; file: string | null }> => {
    const { printer } = deps
    if (!printer) throw new DomainError('unavailable', 'Printing from the kiosk needs the desktop app')
    const decision = decidePrint({ mode: deps.mode(), pdf, receiptPrint: deps.receiptPrint })
    switch (decision.action) {
      case 'refuse':
        throw new DomainError('forbidden', 'a self-service kiosk prints receipts only to its own printer', { reason: decision.reason })
      case 'print':
        return { printed: await printer.print(decision.silent, receiptPage(deps.receiptPaper, false)), file: null }
      case 'pdf': {
        const bytes = await printer.pdf(receiptPage(deps.receiptPaper, true))
        if (!bytes) return { printed: false, file: null }
        const at = deps.now()
        const dir = join(deps.dataDir, 'receipts')
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        const file = join(dir, `tanda-terima-${localStamp(at)}-${at.getMilliseconds()}.pdf`)
        writeFileDurable(file, bytes)
        return { printed: true, file }
      }
    }
  }
}
