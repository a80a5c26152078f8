import { writeFile } from 'node:fs/promises'
import type { BrowserWindow } from 'electron'
import { dialog } from 'electron'
import type { ReceiptPrinter } from './services/registration/receipt-print'

/**
 * The receipt on screen, printed by Electron: silently to the default printer when the post has a fixed one,
 * otherwise through the OS dialog; or saved as a PDF. The renderer's print stylesheet leaves only the receipt.
 */
export function createReceiptPrinter(window: () => BrowserWindow | undefined): ReceiptPrinter {
  return {
    print: (silent) =>
      new Promise((resolve) => {
        const win = window()
        if (!win || win.isDestroyed()) return resolve(false)
        win.webContents.print({ silent, printBackground: true }, (success) => resolve(success))
      }),
    async savePdf() {
      const win = window()
      if (!win || win.isDestroyed()) return null
      const target = await dialog.showSaveDialog(win, {
        defaultPath: 'tanda-terima-posko.pdf',
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      })
      if (target.canceled || !target.filePath) return null
      await writeFile(target.filePath, await win.webContents.printToPDF({ printBackground: true, pageSize: 'A5' }))
      return target.filePath
    },
  }
}
