import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KioskConfig } from '../../common/config'
import type { ReceiptPrinter } from '../../main/services/registration/receipt-print'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { testConfig } from '../fixtures/config'
import { openKiosk } from './helpers'

async function kioskWith(printer: ReceiptPrinter, receiptPrint: 'dialog' | 'silent') {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-print-'))
  const kiosk = createTestKiosk({
    dataDir,
    config: KioskConfig.parse({ ...testConfig, receiptPrint }),
    version: 't',
    logger: createMemoryLogger(),
    resourcesDir: resolve('resources'),
    printer,
    retentionSchedule: false,
    demoOperator: { id: 'sup', name: 'Sup', pin: '246813' },
  })
  await kiosk.ready
  await kiosk.sessions.signIn('sup', '246813')
  return { kiosk, done: () => (kiosk.close(), rmSync(dataDir, { recursive: true, force: true })) }
}

describe('receipt.print', () => {
  it('prints silently or through the dialog as the kiosk is set up, or saves a PDF', async () => {
    const calls: string[] = []
    const printer: ReceiptPrinter = {
      print: async (silent) => (calls.push(silent ? 'silent' : 'dialog'), true),
      savePdf: async () => (calls.push('pdf'), '/media/usb/tanda-terima.pdf'),
    }
    for (const mode of ['silent', 'dialog'] as const) {
      const { kiosk, done } = await kioskWith(printer, mode)
      expect(await kiosk.call('receipt.print', { pdf: false })).toEqual({ ok: true, value: { printed: true, file: null } })
      done()
    }
    const { kiosk, done } = await kioskWith(printer, 'dialog')
    expect(await kiosk.call('receipt.print', { pdf: true })).toEqual({ ok: true, value: { printed: true, file: '/media/usb/tanda-terima.pdf' } })
    done()
    expect(calls).toEqual(['silent', 'dialog', 'pdf'])
  })

  it('answers unavailable where there is no desktop printer (browser mode), so the page prints itself', async () => {
    const { kiosk } = openKiosk()
    expect(await kiosk.call('receipt.print', { pdf: false })).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})
