import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { KioskConfig } from '../../common/config'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { SURABAYA, startTestCentral } from '../central/testkit'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { freePorts } from '../fixtures/ports'
import type { BenchSection } from './measure'
import { ms, percentile } from './measure'

/**
 * Issue 22.1: time from commit to "safe" (another desk acknowledged holding the record's sealed bundle), with three
 * real desks enrolled to the reference central, mutual TLS on loopback, the mesh at its default round (250 ms), all
 * three registering back to back at once. Central is never asked to upload: every record stays unanswered.
 */
const PER_DESK = Number(process.env.POSKO_BENCH_BACKUP ?? 100)
const logger = createMemoryLogger(10)

export async function run(): Promise<BenchSection> {
  const load = loadavg()[0]!.toFixed(1)
  const env = await startTestCentral()
  const { central } = env
  const dirs: string[] = []
  const ports = await freePorts(3)
  const open = (dataDir: string, i: number, network: boolean): TestKiosk =>
    createTestKiosk({
      dataDir,
      resourcesDir: resolve('resources'),
      version: 'bench',
      logger,
      config: KioskConfig.parse({
        postId: SURABAYA.postId,
        postName: 'Bench',
        centralUrl: central.url,
        requirePhotos: false,
        network: { peers: ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`) },
      }),
      retentionSchedule: false,
      heartbeat: { autoStart: false, afterUploads: false },
      upload: { autoStart: false },
      ...(network ? { network: { host: '127.0.0.1', port: ports[i]! } } : {}),
    })
  const kiosks: TestKiosk[] = []
  try {
    for (let i = 0; i < 3; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'posko-bench-backup-'))
      dirs.push(dataDir)
      const k = open(dataDir, i, false)
      await k.sessions.createOperator({ operatorId: 'sup-1', name: 'Bench', role: 'supervisor', pin: '246813' })
      await k.sessions.createOperator({ operatorId: 'it-1', name: 'IT', role: 'it', pin: '246813' })
      await k.sessions.signIn('it-1', '246813')
      const r = await k.call('enrolment.enrol', { centralUrl: central.url, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code })
      if (!r.ok) throw new Error('enrolment failed')
      k.close()
    }
    for (let i = 0; i < 3; i++) kiosks.push(open(dirs[i]!, i, true))
    for (const k of kiosks) await k.heartbeat.send()
    for (const k of kiosks) await k.heartbeat.send()
    for (const k of kiosks) await k.network.start()
    for (const k of kiosks) await k.sessions.signIn('sup-1', '246813')

    const committed = new Map<string, { desk: number; at: number }>()
    const safe: number[] = []
    let stop = false
    let deadline = Number.POSITIVE_INFINITY
    // Polls each desk's own view of which of its records another desk acknowledged.
    const poller = (async () => {
      while (!stop || committed.size > 0) {
        for (const [d, k] of kiosks.entries()) {
          const ids = [...committed].filter(([, v]) => v.desk === d).map(([id]) => id)
          if (ids.length === 0) continue
          const given = new Set(k.store.connection().prepare(`SELECT DISTINCT record_id FROM backup_given WHERE record_id IN (${ids.map(() => '?').join(',')})`).pluck().all(...ids) as string[])
          const t = performance.now()
          for (const id of given) {
            safe.push(t - committed.get(id)!.at)
            committed.delete(id)
          }
        }
        await new Promise((r) => setTimeout(r, 5))
        if (stop && performance.now() > deadline) break
      }
    })()
    const t0 = performance.now()
    await Promise.all(
      kiosks.map(async (k, d) => {
        for (let i = 0; i < PER_DESK; i++) {
          const r = (await k.call('registration.submit', { draft: makeDraft({ nik: nikFor(d * 100_000 + i) }) })) as { ok: boolean; value: { id: string } }
          if (!r.ok) throw new Error('submit failed')
          committed.set(r.value.id, { desk: d, at: performance.now() })
        }
      }),
    )
    const registering = (performance.now() - t0) / 1000
    stop = true
    deadline = performance.now() + 30_000
    await poller
    const lost = committed.size
    safe.sort((x, y) => x - y)
    const p99 = percentile(safe, 99)
    return {
      title: 'Peer backup (3 desks on loopback: commit to safe)',
      notes:
        `Three real desks enrolled to the reference central, mutual TLS 1.3 on 127.0.0.1, the mesh at its default round (250 ms); all three register back to back at once ` +
        `(${(3 * PER_DESK).toLocaleString('en')} records in ${registering.toFixed(1)} s, no photos); "safe" = the desk's own store shows another desk acknowledged the record's sealed bundle, polled every 5 ms. ` +
        `Records never safe within 30 s after the last commit: ${lost}. 1-minute load average at start: ${load}.`,
      figures: [
        { name: `commit → safe p50 / p99 (${safe.length} records)`, value: `${ms(percentile(safe, 50))} / ${ms(p99)}`, goal: 'p99 ≤ 5 s', met: p99 <= 5000 && lost === 0 },
      ],
    }
  } finally {
    for (const k of kiosks) k.close()
    await env.dispose()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}
