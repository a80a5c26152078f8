import { channels } from '../../common/contract'
import type { Handlers } from '../../main/services/dispatch'
import { createDispatcher } from '../../main/services/dispatch'
import { createMemoryLogger } from '../../main/services/platform/logger'
import type { BenchSection } from './measure'
import { ms, percentile, sample } from './measure'

/** The cost the IPC door adds to every call: input parse, handler, output parse. Handlers here do no I/O. */
export async function run(): Promise<BenchSection> {
  const info = { version: '1.0.0', postId: 'JT-01', postName: 'Bench', postRegion: null, mode: 'assisted' as const, language: 'id' as const, cameraSource: 'renderer' as const, ktpReader: false, requirePhotos: true, receiptPaper: 'a4' as const, programmeTitle: 'Program Pelatihan Kerja', idle: { warnSeconds: 60, resetSeconds: 90 }, retentionDays: 7, clock: { status: 'ok' as const } }
  const unused = Object.fromEntries(channels.map((c) => [c, () => { throw new Error(`${c} not benchmarked`) }])) as unknown as Handlers
  const dispatch = createDispatcher(
    {
      ...unused,
      'app.info': () => info,
      'settings.setLanguage': ({ language }) => ({ ...info, language }),
      'queue.status': () => ({ counts: { queued: 1, uploading: 0, accepted: 2, duplicate: 0, rejected: 0, exported: 0, purged: 0 }, total: 3, lastSyncAt: null, awaitingReview: 0 }),
    },
    createMemoryLogger(),
  )
  const ctx = { transport: 'test' as const }
  const n = 50_000
  const noInput = await sample(n, () => dispatch('queue.status', undefined, ctx))
  const withInput = await sample(n, (i) => dispatch('settings.setLanguage', { language: i % 2 ? 'id' : 'en' }, ctx))
  const invalid = await sample(n, () => dispatch('settings.setLanguage', { language: 'xx' }, ctx))
  return {
    title: 'IPC dispatch overhead (validate + handler + output check, no transport)',
    notes: `${n.toLocaleString('en')} calls each after warm-up.`,
    figures: [
      { name: 'queue.status p50 / p99', value: `${ms(percentile(noInput, 50))} / ${ms(percentile(noInput, 99))}` },
      { name: 'settings.setLanguage p50 / p99', value: `${ms(percentile(withInput, 50))} / ${ms(percentile(withInput, 99))}` },
      { name: 'rejected input (invalid_input) p50 / p99', value: `${ms(percentile(invalid, 50))} / ${ms(percentile(invalid, 99))}` },
    ],
  }
}
