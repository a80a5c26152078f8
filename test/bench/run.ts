import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, type as osType, release } from 'node:os'
import { join, resolve } from 'node:path'
import type { BenchSection } from './measure'
import { benchSections, handSections, marker } from './sections'

/**
 * `npm run bench`: runs every benchmark and writes its figures into BENCHMARKS.md, each section with the machine
 * and date it ran on. Targets live here, never in timed unit tests. `npm run bench -- upload` runs only matching
 * benchmarks and keeps the other sections of the file as they were.
 */
const benches: Record<string, () => Promise<{ run: () => Promise<BenchSection> }>> = {
  dispatch: () => import('./dispatch.bench'),
  registration: () => import('./registration.bench'),
  central: () => import('./central.bench'),
  upload: () => import('./upload.bench'),
  links: () => import('./links.bench'),
  photos: () => import('./photos.bench'),
  search: () => import('./search.bench'),
  ktp: () => import('./ktp.bench'),
  'ktp-scan': () => import('./ktp-scan.bench'),
  network: () => import('./network.bench'),
  integrity: () => import('./integrity.bench'),
  backup: () => import('./backup.bench'),
  relay: () => import('./relay.bench'),
  'record-bytes': () => import('./record-bytes.bench'),
}

const HEADER = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (test/bench/). Each section says when and on what machine it ran; `npm run bench -- <name>`',
  'reruns one section and keeps the others. Rerun on the posts\' own hardware before trusting a figure there.',
  '',
]

function render(name: string, section: BenchSection): string {
  const cpu = cpus()
  const lines = [
    marker(name),
    `## ${section.title}`,
    '',
    `Run ${new Date().toISOString()} on ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
      `${osType()} ${release()}, Node ${process.version}.`,
    '',
  ]
  if (section.notes) lines.push(section.notes, '')
  lines.push('| figure | value | goal | met |', '| --- | --- | --- | --- |')
  for (const f of section.figures) {
    lines.push(`| ${f.name} | ${f.value} | ${f.goal ?? '—'} | ${f.met === undefined ? '—' : f.met ? 'yes' : '**no**'} |`)
  }
  return lines.join('\n')
}

const out = join(resolve(import.meta.dirname, '..', '..'), 'BENCHMARKS.md')
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const read = () => (existsSync(out) ? readFileSync(out, 'utf8') : '')
const sections = benchSections(read())
for (const [name, load] of Object.entries(benches)) {
  // A name that is a bench's own runs that bench alone ("ktp" is not also "ktp-scan"); otherwise a part of names.
  const exact = filter.filter((f) => f in benches)
  if (filter.length > 0 && !(exact.length > 0 ? exact.includes(name) : filter.some((f) => name.includes(f)))) continue
  process.stdout.write(`bench: ${name}…\n`)
  sections.set(name, render(name, await (await load()).run()))
  // Written after each bench, so a long run that fails late keeps what it measured.
  const ordered = Object.keys(benches).flatMap((n) => (sections.has(n) ? [sections.get(n)!] : []))
  writeFileSync(out, `${[...HEADER, [...ordered, ...handSections(read())].join('\n\n'), ''].join('\n')}`)
}
process.stdout.write(`bench: wrote ${out}\n`)
