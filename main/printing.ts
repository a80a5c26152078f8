import type { BrowserWindow } from 'electron'
import type { PageMm, ReceiptPrinter } from './services/registration/receipt-print'

/** Electron's page sizes are in microns. */
const microns = (page: PageMm) => ({ width: Math.round(page.width * 1000), height: Math.round(page.height * 1000) })

/**
 * The receipt on screen, printed by Electron: silently to the default printer when the post has a fixed one,
 * otherwise through the OS dialog (staff only); or rendered as a PDF for the service to keep. The renderer's print
 * stylesheet leaves only the receipt, laid out for the paper (A4 or a thermal roll) the service names.
 */
export function createReceiptPrinter(window: () => BrowserWindow | undefined): ReceiptPrinter {
  return {
    print: (silent, page) =>
      new Promise((resolve) => {
        const win = window()
        if (!win || win.isDestroyed()) return resolve(false)
        win.webContents.print({ silent, printBackground: true, pageSize: microns(page), margins: { marginType: 'none' } }, (success) => resolve(success))
      }),
    // The bytes only: where a copy may be kept is the service's decision (registration/receipt-print.ts), never a
    // save dialog that could write over any file the kiosk's account can reach.
    async pdf(page) {
      const win = window()
      if (!win || win.isDestroyed()) return null
      // printToPDF takes inches.
      return win.webContents.printToPDF({ printBackground: true, pageSize: { width: page.width / 25.4, height: page.height / 25.4 } })
    },
  }
}
