import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { KioskConfig } from '../../common/config'
import type { Transport } from '../../main/services/central/transport'
import { nodeTransport } from '../../main/services/central/transport'
import { createMemoryLogger } from '../../main/services/platform/logger'
import { createFileKeyProvider } from '../../main/services/security/keys'
import { createVault } from '../../main/services/security/vault'
import { SURABAYA, startTestCentral } from '../central/testkit'
import { openSimulatedLink } from '../fixtures/link/simulated-link'
import type { TestKiosk } from '../fixtures/kiosk-kit'
import { createTestKiosk } from '../fixtures/kiosk-kit'
import { makeDraft, nikFor } from '../fixtures/drafts'
import { freePorts } from '../fixtures/ports'
import { storeFakePhoto } from '../fixtures/stored-photos'
import type { BenchSection } from './measure'

/**
 * Issue 22.2: relay throughput against the desk's own upload over the same link. Two real desks enrolled to the
 * reference central, mutual TLS between them. Each round: desk A uploads N records (each with a 30 KB face photo)
 * itself (its uploader, batches and photo packs, the upload worker inline); then N more records of A's are backed up
 * to B and taken on by B's relay, whose posts wait at a gate until B holds them all, and B posts them (one sealed
 * bundle per record, 4 in flight). Both times run from the first request to central's last answer. Twice: straight
 * to central on loopback, and through the link simulator (test/fixtures/link: a post's uplink, rate and round trip)
 * that both desks reach central by.
 */
const N = Number(process.env.POSKO_BENCH_RELAY ?? 250)
const LINK_N = Number(process.env.POSKO_BENCH_RELAY_LINK ?? 100)
const LINK = { rateBitsPerSecond: 4_000_000, rttMs: 150 }
const ROUNDS = Number(process.env.POSKO_BENCH_REPEATS ?? 3)
const PHOTO_BYTES = 30 * 1024
const logger = createMemoryLogger(10)

interface Scenario {
  own: number[]
  relayed: number[]
  n: number
  shaping: string | null
}

async function scenario(n: number, link: typeof LINK | null): Promise<Scenario> {
  const env = await startTestCentral()
  const { central } = env
  const simulated = link ? openSimulatedLink({ ...link, shaping: 'userspace' }) : null
  const centralUrl = simulated ? await simulated.attach(Number(new URL(central.url).port)) : central.url
  const N = n
  const dirs: string[] = []
  const ports = await freePorts(2)
  let open = () => {}
  let gate = Promise.resolve()
  const gated: Transport = async (url, init) => {
    await gate
    return nodeTransport(url, init)
  }
  const kiosk = (i: number, network: boolean): TestKiosk =>
    createTestKiosk({
      dataDir: dirs[i]!,
      resourcesDir: resolve('resources'),
      version: 'bench',
      logger,
      config: KioskConfig.parse({
        postId: SURABAYA.postId,
        postName: 'Bench',
        centralUrl,
        requirePhotos: false,
        network: { peers: ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`) },
      }),
      retentionSchedule: false,
      heartbeat: { autoStart: false, afterUploads: false },
      upload: { autoStart: false, ...(i === 1 ? { transport: gated } : {}) },
      ...(network ? { network: { host: '127.0.0.1', port: ports[i]!, relay: i === 0 ? ('always' as const) : ('auto' as const) } } : {}),
    })
  const desks: TestKiosk[] = []
  try {
    for (let i = 0; i < 2; i++) {
      dirs.push(mkdtempSync(join(tmpdir(), 'posko-bench-relay-')))
      const k = kiosk(i, false)
      await k.sessions.createOperator({ operatorId: 'sup-1', name: 'Bench', role: 'supervisor', pin: '246813' })
      await k.sessions.createOperator({ operatorId: 'it-1', name: 'IT', role: 'it', pin: '246813' })
      await k.sessions.signIn('it-1', '246813')
      const r = await k.call('enrolment.enrol', { centralUrl, postId: SURABAYA.postId, code: central.issueEnrolmentCode(SURABAYA.postId).code })
      if (!r.ok) throw new Error('enrolment failed')
      k.close()
    }
    for (let i = 0; i < 2; i++) desks.push(kiosk(i, true))
    const [a, b] = desks as [TestKiosk, TestKiosk]
    for (const k of desks) await k.heartbeat.send()
    for (const k of desks) await k.heartbeat.send()
    await a.sessions.signIn('sup-1', '246813')
    const vault = createVault(createFileKeyProvider(dirs[0]!).loadOrCreate())
    let nik = 0
    const fill = async () => {
      for (let i = 0; i < N; i++) {
        const face = { sha256: storeFakePhoto(a.store.connection(), vault, `relay-${nik}`, PHOTO_BYTES).sha256 }
        const r = await a.call('registration.submit', { draft: makeDraft({ nik: nikFor(nik++), photos: { face, card: null } }) })
        if (!r.ok) throw new Error(JSON.stringify(r.error))
      }
    }
    const count = (k: TestKiosk, sql: string) => k.store.connection().prepare(sql).pluck().get() as number
    const waitFor = async (check: () => boolean, what: string) => {
      const until = Date.now() + 120_000
      while (!check()) {
        if (Date.now() > until) throw new Error(`bench: timed out waiting for ${what}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }

    const own: number[] = []
    const relayed: number[] = []
    let networkUp = false
    for (let round = 0; round < ROUNDS; round++) {
      // A's own upload (its network stopped, so nothing else runs at A or B).
      if (networkUp) {
        await a.network.stop()
        await b.network.stop()
        networkUp = false
      }
      await fill()
      const t0 = performance.now()
      await a.uploader.runOnce()
      own.push(performance.now() - t0)
      if (a.store.countInState('accepted') !== (2 * round + 1) * N) throw new Error('bench: A\'s own upload left records')

      // B relays the next N: backed up and taken on with B's posts held at the gate, then timed from the gate.
      gate = new Promise<void>((r) => (open = r))
      await fill()
      await b.network.start()
      await a.network.start()
      networkUp = true
      await waitFor(() => count(b, 'SELECT count(*) FROM relay_jobs') === N, 'B to take on every record')
      const t1 = performance.now()
      open()
      await waitFor(() => count(b, 'SELECT count(*) FROM relay_jobs') === 0, 'B to post every record')
      relayed.push(performance.now() - t1)
      await waitFor(() => a.store.countInState('accepted') === (2 * round + 2) * N, 'A to show the relayed records accepted')
    }
    return { own, relayed, n, shaping: simulated ? simulated.shaping : null }
  } finally {
    for (const k of desks) k.close()
    await simulated?.close()
    await env.dispose()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
const rates = (s: Scenario) => {
  const own = s.n / (median(s.own) / 1000)
  const relay = s.n / (median(s.relayed) / 1000)
  const list = (xs: number[]) => xs.map((x) => (s.n / (x / 1000)).toFixed(0)).join(' / ')
  return { own, relay, ratio: relay / own, detail: `own ${list(s.own)}, relay ${list(s.relayed)} records/s` }
}

export async function run(): Promise<BenchSection> {
  const load = loadavg()[0]!.toFixed(1)
  const loop = rates(await scenario(N, null))
  const linked = await scenario(LINK_N, LINK)
  const slow = rates(linked)
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`
  return {
    title: 'Relay through a neighbour\'s uplink (2 desks, reference central)',
    notes:
      `Desk A uploads N records (each with a 30 KB face photo) itself, then N more are relayed by desk B (backed up to B as sealed bundles, taken on with B's posts held at a gate, timed from the gate until B has posted them all); ` +
      `${ROUNDS} rounds each, medians. Loopback (N = ${N}): ${loop.detail}. Through the link simulator (N = ${LINK_N}; ${LINK.rateBitsPerSecond / 1e6} Mbit/s each way, ${LINK.rttMs} ms round trip, ${linked.shaping} shaping: ` +
      `the proxy's token bucket, in its own process): ${slow.detail}. On loopback the relay pays a request and a bundle import (its own transaction at central) per record where the desk's own upload sends 200 records a batch and its photos in packs; ` +
      `over a post's link both are held to the link's rate. 1-minute load average at start: ${load}.`,
    figures: [
      { name: `loopback: own upload / relay (records/s)`, value: `${loop.own.toFixed(0)} / ${loop.relay.toFixed(0)} (${pct(loop.ratio)})` },
      { name: `link ${LINK.rateBitsPerSecond / 1e6} Mbit/s, ${LINK.rttMs} ms: own upload / relay (records/s)`, value: `${slow.own.toFixed(0)} / ${slow.relay.toFixed(0)}` },
      { name: 'relay / own upload over the same link', value: pct(slow.ratio), goal: '≥ 90 %', met: slow.ratio >= 0.9 },
    ],
  }
}
