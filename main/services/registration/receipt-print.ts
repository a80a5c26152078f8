import { DomainError } from '../../../common/result'

/** Electron's printing for the receipt page (main/printing.ts); absent in browser mode and tests. */
export interface ReceiptPrinter {
  print(silent: boolean): Promise<boolean>
  /** Asks where to save, then writes the page as PDF; null if the user cancelled. */
  savePdf(): Promise<string | null>
}

/** `receipt.print`: to the default printer silently, through the OS dialog, or as a PDF copy (config.receiptPrint). */
export function createReceiptPrinting(printer: ReceiptPrinter | undefined, mode: 'dialog' | 'silent') {
  return async ({ pdf }: { pdf: boolean }): Promise<{ printed: boolean; file: string | null }> => {
    if (!printer) throw new DomainError('unavailable', 'Printing from the kiosk needs the desktop app')
    if (pdf) {
      const file = await printer.savePdf()
      return { printed: file !== null, file }
    }
    return { printed: await printer.print(mode === 'silent'), file: null }
  }
}
