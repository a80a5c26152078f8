// Compiles idn-area-data's CSVs into resources/regions/regions.json, the only region file the kiosk ships.
//
// Why a compact re-encoding: the CSVs repeat every parent code on every row. Grouping children under their
// parent and keeping only the code's own last segment takes the four files from 3.0 MB to 2.1 MB, and lets main
// hand the renderer one parent's children without scanning. Names and codes are not changed: the data is ODbL,
// and resources/regions/ATTRIBUTION.md promises a re-encoding only. Every row is checked so a new upstream
// version that breaks those assumptions fails the build instead of shipping silently wrong data.
//
// Run: npm run regions. The output is deterministic; test/unit/regions.test.ts regenerates it and compares bytes.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const OUTPUT_PATH = join(root, 'resources', 'regions', 'regions.json')
export const FORMAT = 'posko-regions/1'

const SOURCE_URL = 'https://github.com/fityannugroho/idn-area-data'

/**
 * The four levels, each with its code shape and the CSV header upstream uses. The header is checked exactly so a
 * renamed or reordered column fails loudly.
 */
const LEVELS = [
  { key: 'provinces', file: 'provinces.csv', header: ['code', 'name'], code: /^\d{2}$/ },
  { key: 'regencies', file: 'regencies.csv', header: ['code', 'province_code', 'name'], code: /^\d{2}\.\d{2}$/ },
  { key: 'districts', file: 'districts.csv', header: ['code', 'regency_code', 'name'], code: /^\d{2}\.\d{2}\.\d{2}$/ },
  { key: 'villages', file: 'villages.csv', header: ['code', 'district_code', 'name'], code: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/ },
]

/** RFC 4180 CSV: quoted fields may hold commas and doubled quotes (upstream has `"Ra""as"`, `"Lubuk Pakam I,II"`). */
export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') {
        quoted = false
      } else {
        field += ch
      }
    } else if (ch === '"' && field === '') {
      quoted = true
    } else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else {
      field += ch
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted field')
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/** Reads one level's CSV into { code, parent, name } rows, refusing anything the compact format can't hold. */
function readLevel(level, text, parents) {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''))
  if (JSON.stringify(header) !== JSON.stringify(level.header)) {
    throw new Error(`${level.file}: expected header ${level.header.join(',')}, got ${String(header)}`)
  }
  const seen = new Set()
  return rows.map((fields, i) => {
    const where = `${level.file} line ${i + 2}`
    if (fields.length !== level.header.length) throw new Error(`${where}: ${fields.length} fields`)
    const code = fields[0]
    const name = fields[fields.length - 1]
    const parent = level.header.length === 3 ? fields[1] : null
    if (!level.code.test(code)) throw new Error(`${where}: bad code ${JSON.stringify(code)}`)
    if (seen.has(code)) throw new Error(`${where}: duplicate code ${code}`)
    seen.add(code)
    if (name === '') throw new Error(`${where}: empty name`)
    // Storing only the last code segment is lossless only if the parent column is exactly the code's prefix.
    if (parent !== null && parent !== code.slice(0, code.lastIndexOf('.'))) throw new Error(`${where}: parent ${parent} is not the prefix of ${code}`)
    if (parent !== null && !parents.has(parent)) throw new Error(`${where}: unknown parent ${parent}`)
    return { code, parent, name }
  })
}

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
const lastSegment = (code) => code.slice(code.lastIndexOf('.') + 1)

/** Children grouped under their parent code, both in code order so the output doesn't depend on upstream row order. */
function groupByParent(rows) {
  const groups = new Map()
  for (const row of [...rows].sort(byCode)) {
    const group = groups.get(row.parent) ?? []
    group.push([lastSegment(row.code), row.name])
    groups.set(row.parent, group)
  }
  return groups
}

/**
 * One JSON document, one line per parent: small diffs when upstream changes a district, and still plain JSON.
 * JSON.stringify keeps non-ASCII as UTF-8 and escapes only what JSON requires, so the bytes are stable.
 */
function serialise(version, levels) {
  const lines = ['{']
  lines.push(`"format":${JSON.stringify(FORMAT)},`)
  lines.push(`"source":${JSON.stringify({ name: 'idn-area-data', version, url: SOURCE_URL, codeLicense: 'MIT', dataLicense: 'ODbL-1.0' })},`)
  const provinces = [...levels.provinces].sort(byCode).map((row) => [row.code, row.name])
  lines.push(`"provinces":[${provinces.map((entry) => JSON.stringify(entry)).join(',')}],`)
  const grouped = ['regencies', 'districts', 'villages']
  grouped.forEach((key, i) => {
    const groups = [...groupByParent(levels[key])]
    lines.push(`${JSON.stringify(key)}:{`)
    lines.push(groups.map(([parent, children]) => `${JSON.stringify(parent)}:${JSON.stringify(children)}`).join(',\n'))
    lines.push(i === grouped.length - 1 ? '}' : '},')
  })
  lines.push('}')
  return `${lines.join('\n')}\n`
}

/**
 * The compiler, separate from file I/O so the test can feed it the installed CSVs.
 * @param {{ version: string, csv: Record<'provinces' | 'regencies' | 'districts' | 'villages', string> }} input
 * @returns {string} the JSON text, byte for byte what goes into resources/regions/regions.json
 */
export function compileRegions({ version, csv }) {
  const levels = {}
  let parents = new Set()
  for (const level of LEVELS) {
    const rows = readLevel(level, csv[level.key], parents)
    levels[level.key] = rows
    parents = new Set(rows.map((row) => row.code))
  }
  return serialise(version, levels)
}

/** Reads idn-area-data as installed in node_modules. */
export function readInstalledSource(packageDir = join(root, 'node_modules', 'idn-area-data')) {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const csv = Object.fromEntries(LEVELS.map((level) => [level.key, readFileSync(join(packageDir, 'data', level.file), 'utf8')]))
  return { version, csv }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = compileRegions(readInstalledSource())
  mkdirSync(dirname(OUTPUT_PATH), { recursive: true })
  writeFileSync(OUTPUT_PATH, json)
  const data = JSON.parse(json)
  const count = (groups) => Object.values(groups).reduce((n, children) => n + children.length, 0)
  console.log(
    `regions: ${data.provinces.length} provinces, ${count(data.regencies)} regencies, ${count(data.districts)} districts, ` +
      `${count(data.villages)} villages from idn-area-data ${data.source.version} → ${OUTPUT_PATH} (${json.length} chars)`,
  )
}
