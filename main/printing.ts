import type { BrowserWindow } from 'electron'
import type { ReceiptPrinter } from './services/registration/receipt-print'

/**
 * The receipt on screen, printed by Electron: silently to the default printer when the post has a fixed one,
 * otherwise through the OS dialog (staff only); or rendered as a PDF for the service to keep. The renderer's print
 * stylesheet leaves only the receipt.
 */
export function createReceiptPrinter(window: () => BrowserWindow | undefined): ReceiptPrinter {
  return {
    print: (silent) =>
      new Promise((resolve) => {
        const win = window()
        if (!win || win.isDestroyed()) return resolve(false)
        win.webContents.print({ silent, printBackground: true }, (success) => resolve(success))
      }),
    // The bytes only: where a copy may be kept is the service's decision (registration/receipt-print.ts), never a
    // save dialog that could write over any file the kiosk's account can reach.
    async pdf() {
      const win = window()
      if (!win || win.isDestroyed()) return null
      return win.webContents.printToPDF({ printBackground: true, pageSize: 'A5' })
    },
  }
}
