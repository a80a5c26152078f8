import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { KioskConfig } from '../../common/config'
import type { Kiosk } from '../../main/services/kiosk'
import { createKiosk } from '../../main/services/kiosk'
import { createMemoryLogger } from '../../main/services/logger'

export const testConfig: KioskConfig = {
  postId: 'JT-3578-01',
  postName: 'Kota Surabaya',
  centralUrl: 'http://127.0.0.1:9',
  mode: 'assisted',
  language: 'id',
  retentionDays: 7,
}

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

/** A fresh directory removed after the test. */
export function tempDir(prefix = 'posko-unit-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A real kiosk on a real SQLite file in a temp dir, closed after the test. */
export function openKiosk(options: { dataDir?: string; config?: Partial<KioskConfig>; now?: () => Date } = {}) {
  const dataDir = options.dataDir ?? tempDir()
  const logger = createMemoryLogger()
  const kiosk: Kiosk = createKiosk({ dataDir, config: { ...testConfig, ...options.config }, version: '9.9.9', logger, now: options.now })
  let closed = false
  const close = () => {
    if (!closed) kiosk.close()
    closed = true
  }
  cleanups.push(close)
  return { kiosk, dataDir, logger, close }
}
