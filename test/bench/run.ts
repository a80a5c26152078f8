import { writeFileSync } from 'node:fs'
import { cpus, totalmem, type as osType, release } from 'node:os'
import { join, resolve } from 'node:path'
import type { BenchSection } from './measure'

/**
 * `npm run bench`: runs every benchmark and rewrites BENCHMARKS.md with the machine, date and figures.
 * Targets live here, never in timed unit tests. `npm run bench -- dispatch` runs only matching benchmarks.
 */
const benches: Record<string, () => Promise<{ run: () => Promise<BenchSection> }>> = {
  dispatch: () => import('./dispatch.bench'),
  registration: () => import('./registration.bench'),
  central: () => import('./central.bench'),
  upload: () => import('./upload.bench'),
  photos: () => import('./photos.bench'),
}

const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const sections: BenchSection[] = []
for (const [name, load] of Object.entries(benches)) {
  if (filter.length > 0 && !filter.some((f) => name.includes(f))) continue
  process.stdout.write(`bench: ${name}…\n`)
  sections.push(await (await load()).run())
}

const cpu = cpus()
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (test/bench/). Figures are from one run on the machine below; rerun to refresh.',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${osType()} ${release()}`,
  `- Node ${process.version}`,
  '',
]
for (const section of sections) {
  lines.push(`## ${section.title}`, '')
  if (section.notes) lines.push(section.notes, '')
  lines.push('| figure | value | goal | met |', '| --- | --- | --- | --- |')
  for (const f of section.figures) {
    lines.push(`| ${f.name} | ${f.value} | ${f.goal ?? '—'} | ${f.met === undefined ? '—' : f.met ? 'yes' : '**no**'} |`)
  }
  lines.push('')
}
const out = join(resolve(import.meta.dirname, '..', '..'), 'BENCHMARKS.md')
writeFileSync(out, `${lines.join('\n')}`)
process.stdout.write(`bench: wrote ${out}\n`)
