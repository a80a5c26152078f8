import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Central } from '../central/server'
import { testConfig } from '../fixtures/config'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { freePorts } from '../fixtures/ports'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { root, STAFF } from './harness'
import { screenshotNow } from './screenshots'

/**
 * Desks of the test post (testConfig's) for the e2e specs of the post network (issue 21): real kiosks enrolled to the
 * reference central by IT, reopened as the app is after enrolment, on 127.0.0.1 with the others as IT's configured
 * addresses (no mDNS), heartbeated once more so every roster lists them all. Uploads and heartbeats stay manual.
 */
export interface E2eDesk {
  kiosk: TestKiosk
  kioskId: string
  /** Its post network's port on 127.0.0.1. */
  port: number
  close(): void
}

export async function postDesksForE2e(
  central: Pick<Central, 'url' | 'issueEnrolmentCode'>,
  n: number,
  options: { postId?: string; /** Addresses every desk dials besides its post's (a kiosk of another post, say). */ alsoDial?: string[] } = {},
): Promise<E2eDesk[]> {
  const postId = options.postId ?? testConfig.postId
  const ports = await freePorts(n)
  const opened: Array<{ dataDir: string; kioskId: string }> = []
  for (let i = 0; i < n; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'posko-e2e-desk-'))
    const first = createTestKiosk({ dataDir, config: { ...testConfig, postId }, version: '0.0.0-test', logger: createMemoryLogger(), resourcesDir: join(root, 'resources'), now: screenshotNow })
    for (const [role, staff] of Object.entries(STAFF)) {
      await first.sessions.createOperator({ operatorId: staff.id, name: staff.name, role: role as keyof typeof STAFF, pin: staff.pin })
    }
    await first.sessions.signIn(STAFF.it.id, STAFF.it.pin)
    const enrolled = await first.call('enrolment.enrol', { centralUrl: central.url, postId, code: central.issueEnrolmentCode(postId).code })
    first.close()
    if (!enrolled.ok) throw new Error(`enrolment failed: ${enrolled.error.code}`)
    opened.push({ dataDir, kioskId: (enrolled.value as { kioskKeyId: string }).kioskKeyId })
  }
  const desks = opened.map(({ dataDir, kioskId }, i) => {
    const peers = [...ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`), ...(options.alsoDial ?? [])]
    const kiosk = createTestKiosk({
      dataDir,
      config: { ...testConfig, postId, network: { ...testConfig.network, port: ports[i]!, mdns: false, peers } },
      version: '0.0.0-test',
      logger: createMemoryLogger(),
      resourcesDir: join(root, 'resources'),
      drives: { platform: 'linux', mountsFile: join(dataDir, 'no-mount-table') },
      upload: { autoStart: false },
      heartbeat: { autoStart: false, afterUploads: false },
      network: { host: '127.0.0.1', port: ports[i]!, mdns: false, roundMs: 100 },
      deskStatus: { minIntervalMs: 0, tickMs: 100 },
      // `npm run screenshots`: the fixed moment, like the harness's kiosk (certificates are made on that clock too).
      now: screenshotNow,
    })
    return {
      kiosk,
      kioskId,
      port: ports[i]!,
      close: () => {
        kiosk.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  })
  for (const desk of desks) {
    const sent = await desk.kiosk.heartbeat.send()
    if (!sent.ok) throw new Error('heartbeat failed')
  }
  return desks
}
