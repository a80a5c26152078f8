import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KioskConfig } from '../../common/config'
import type { ReceiptPrinter } from '../../main/services/registration/receipt-print'
import { decidePrint } from '../../main/services/registration/receipt-print'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { testConfig } from '../fixtures/config'
import { openKiosk } from './helpers'

async function kioskWith(printer: ReceiptPrinter, receiptPrint: 'dialog' | 'silent', mode: 'assisted' | 'self-service' = 'assisted', receiptPaper: 'a4' | '80mm' | '58mm' = 'a4') {
  const dataDir = mkdtempSync(join(tmpdir(), 'posko-print-'))
  const kiosk = createTestKiosk({
    dataDir,
    config: KioskConfig.parse({ ...testConfig, receiptPrint, mode, receiptPaper }),
    version: 't',
    logger: createMemoryLogger(),
    resourcesDir: resolve('resources'),
    printer,
    retentionSchedule: false,
    demoOperator: { id: 'sup', name: 'Sup', pin: '246813' },
  })
  await kiosk.ready
  if (mode === 'assisted') await kiosk.sessions.signIn('sup', '246813')
  return { kiosk, dataDir, done: () => (kiosk.close(), rmSync(dataDir, { recursive: true, force: true })) }
}

describe('receipt.print', () => {
  const PDF = Buffer.from('%PDF-1.7 receipt')
  const recording = (calls: string[]): ReceiptPrinter => ({
    print: async (silent) => (calls.push(silent ? 'silent' : 'dialog'), true),
    pdf: async () => (calls.push('pdf'), PDF),
  })

  it('prints silently or through the dialog as the kiosk is set up, or keeps a PDF in its own receipts folder', async () => {
    const calls: string[] = []
    const printer = recording(calls)
    for (const mode of ['silent', 'dialog'] as const) {
      const { kiosk, done } = await kioskWith(printer, mode)
      expect(await kiosk.call('receipt.print', { pdf: false })).toEqual({ ok: true, value: { printed: true, file: null } })
      done()
    }
    const { kiosk, dataDir, done } = await kioskWith(printer, 'dialog')
    const saved = await kiosk.call('receipt.print', { pdf: true })
    expect(saved).toEqual({ ok: true, value: { printed: true, file: expect.stringMatching(/tanda-terima-\d{8}-\d{6}-\d+\.pdf$/) } })
    const file = (saved as { value: { file: string } }).value.file
    // Confined: never a path the user chose, always under the kiosk's own data folder.
    expect(dirname(file)).toBe(join(dataDir, 'receipts'))
    expect(readFileSync(file)).toEqual(PDF)
    done()
    expect(calls).toEqual(['silent', 'dialog', 'pdf'])
  })

  it('a self-service kiosk prints only silently to its own printer: no OS dialog (print to file), no PDF', async () => {
    const calls: string[] = []
    const dialogKiosk = await kioskWith(recording(calls), 'dialog', 'self-service')
    expect(await dialogKiosk.kiosk.call('receipt.print', { pdf: false })).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'self_service_dialog' } } })
    expect(await dialogKiosk.kiosk.call('receipt.print', { pdf: true })).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'self_service_pdf' } } })
    dialogKiosk.done()
    const silentKiosk = await kioskWith(recording(calls), 'silent', 'self-service')
    expect(await silentKiosk.kiosk.call('receipt.print', { pdf: false })).toEqual({ ok: true, value: { printed: true, file: null } })
    expect(await silentKiosk.kiosk.call('receipt.print', { pdf: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    silentKiosk.done()
    expect(calls).toEqual(['silent'])
  })

  it.each([
    ['assisted', false, 'dialog', { action: 'print', silent: false }],
    ['assisted', false, 'silent', { action: 'print', silent: true }],
    ['assisted', true, 'dialog', { action: 'pdf' }],
    ['assisted', true, 'silent', { action: 'pdf' }],
    ['self-service', false, 'silent', { action: 'print', silent: true }],
    ['self-service', false, 'dialog', { action: 'refuse', reason: 'self_service_dialog' }],
    ['self-service', true, 'silent', { action: 'refuse', reason: 'self_service_pdf' }],
    ['self-service', true, 'dialog', { action: 'refuse', reason: 'self_service_pdf' }],
  ] as const)('%s, pdf %s, receiptPrint %s → %j', (mode, pdf, receiptPrint, decision) => {
    expect(decidePrint({ mode, pdf, receiptPrint })).toEqual(decision)
  })

  it('prints on the paper the post set up: a thermal roll\'s width for print and PDF, A4 prints with an A5 PDF copy', async () => {
    const pages: string[] = []
    const printer: ReceiptPrinter = {
      print: async (_silent, page) => (pages.push(`print ${page.width}x${page.height}`), true),
      pdf: async (page) => (pages.push(`pdf ${page.width}x${page.height}`), PDF),
    }
    for (const paper of ['a4', '80mm', '58mm'] as const) {
      const { kiosk, done } = await kioskWith(printer, 'silent', 'assisted', paper)
      await kiosk.call('receipt.print', { pdf: false })
      await kiosk.call('receipt.print', { pdf: true })
      done()
    }
    expect(pages).toEqual(['print 210x297', 'pdf 148x210', 'print 80x200', 'pdf 80x200', 'print 58x200', 'pdf 58x200'])
  })

  it('answers unavailable where there is no desktop printer (browser mode), so the page prints itself', async () => {
    const { kiosk } = openKiosk()
    expect(await kiosk.call('receipt.print', { pdf: false })).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })
})
