import { useState } from 'react'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'

export type PrintOutcome =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'printed' }
  | { kind: 'not_printed' }
  | { kind: 'saved'; file: string }
  | { kind: 'failed'; error: PoskoErrorShape }

/**
 * Whether the kiosk itself can print, learnt from its first answer and kept for the app's life: asking costs a
 * print job or a save dialog, so there is no probe. Only the desktop app has a printer; browser mode answers
 * `unavailable`.
 */
let kioskCanPrint = true

/**
 * "Cetak" and "Simpan PDF" through the kiosk (`receipt.print`): the OS dialog or the default printer as it is set
 * up, or a PDF copy. Where the kiosk can't print, the browser's own print dialog with the same print stylesheet,
 * and no "Simpan PDF" (that dialog can save a PDF itself).
 */
export function useReceiptPrint(): { canSavePdf: boolean; outcome: PrintOutcome; print: (pdf: boolean) => Promise<void> } {
  const [canSavePdf, setCanSavePdf] = useState(kioskCanPrint)
  const [outcome, setOutcome] = useState<PrintOutcome>({ kind: 'idle' })

  const print = async (pdf: boolean) => {
    setOutcome({ kind: 'working' })
    // A PDF copy is kept in the kiosk's receipts folder: the print stylesheet leaves the name and NIK off it.
    const root = document.documentElement
    if (pdf) root.dataset.printCopy = 'file'
    const result = await callPosko((posko) => posko.receipt.print({ pdf })).finally(() => {
      delete root.dataset.printCopy
    })
    if (!result.ok && result.error.code === 'unavailable') {
      kioskCanPrint = false
      setCanSavePdf(false)
      setOutcome({ kind: 'idle' })
      window.print()
      return
    }
    if (!result.ok) return setOutcome({ kind: 'failed', error: result.error })
    if (pdf) {
      // No file: the save dialog was cancelled, which needs no message.
      return setOutcome(result.value.file ? { kind: 'saved', file: result.value.file } : { kind: 'idle' })
    }
    setOutcome({ kind: result.value.printed ? 'printed' : 'not_printed' })
  }

  return { canSavePdf, outcome, print }
}
