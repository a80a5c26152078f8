import { createHash } from 'node:crypto'
import type { RegistrationRecord } from '../../common/registration'
import { CONSENT_TEXT_VERSION } from '../../common/registration'

/**
 * Synthetic registration records that pass `RegistrationRecord` unchanged (already normalised: upper-case names,
 * E.164 phones), for central's tests and bench and for the uploader's tests.
 *
 * Pure: the same arguments give the same records, ids included, so a failing run can be replayed. Records for
 * [start, start + n) are disjoint from any other range of the same post; different posts draw NIKs from
 * different blocks (picked by a hash of the post id), so they don't collide by accident.
 */
export interface RecordOptions {
  /** Index of the first record (default 0): use disjoint ranges for distinct people. */
  start?: number
  /** createdAt of the first record; later ones follow one second apart. */
  createdAt?: Date
}

const FIRST = ['SITI', 'BUDI', 'DEWI', 'AGUS', 'RINA', 'EKO', 'NUR', 'WAHYU', 'SRI', 'HENDRA', 'ANI', 'RUDI']
const LAST = ['RAHAYU', 'SANTOSO', 'LESTARI', 'PRASETYO', 'WATI', 'SETIAWAN', 'HIDAYAT', 'PURNAMA', "MA'RUF", 'KUSUMA-WARDANI']
const MOBILE_PREFIXES = ['812', '813', '821', '822', '852', '853', '857', '878', '895']
const EDUCATION = ['sd', 'smp', 'sma_smk', 'diploma', 'bachelor'] as const
const EMPLOYMENT = ['laid_off', 'unpaid_leave', 'job_seeker', 'micro_business', 'student', 'other'] as const
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

const BASE_TIME = Date.UTC(2026, 10, 25, 1, 0, 0)
/** 28 days × 12 months × 36 birth years (1970–2005): every date valid, every person 20–56 in 2026. */
const DATES = 28 * 12 * 36
const SERIALS = 9999
const BLOCK = 100_000

function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** A UUIDv7 from a timestamp and a seed: valid for z.uuid({ version: 'v7' }), and reproducible. */
export function uuidV7(timeMs: number, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16)
  let t = timeMs
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256
    t = Math.floor(t / 256)
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f)
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** NIK number k: Surabaya (35.78), district 01, a valid birth date (day + 40 for women), serial ≥ 0001. */
export function nikFor(k: number): { nik: string; birthDate: string; sex: 'male' | 'female' } {
  const serial = 1 + (k % SERIALS)
  const rest = Math.floor(k / SERIALS)
  const female = rest % 2 === 1
  const d = Math.floor(rest / 2) % DATES
  const day = 1 + (d % 28)
  const month = 1 + (Math.floor(d / 28) % 12)
  const year = 1970 + Math.floor(d / (28 * 12))
  const nik = `357801${pad(female ? day + 40 : day)}${pad(month)}${pad(year % 100)}${pad(serial, 4)}`
  return { nik, birthDate: `${year}-${pad(month)}-${pad(day)}`, sex: female ? 'female' : 'male' }
}

function crockford(n: number, width: number): string {
  let s = ''
  for (let v = n; v > 0; v = Math.floor(v / 32)) s = CROCKFORD[v % 32]! + s
  return s.padStart(width, '0')
}

export function makeValidRecords(n: number, postId: string, options: RecordOptions = {}): RegistrationRecord[] {
  const start = options.start ?? 0
  const base = options.createdAt?.getTime() ?? BASE_TIME
  const block = (fnv1a(postId) % 2000) * BLOCK
  const day = new Date(base).toISOString().slice(2, 10).replace(/-/g, '')
  const records: RegistrationRecord[] = []
  for (let i = 0; i < n; i++) {
    const index = start + i
    const person = nikFor(block + index)
    const createdMs = base + i * 1000
    // Keys in the schema's order, so a parsed record serialises exactly like the fixture.
    records.push({
      nik: person.nik,
      fullName: `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`,
      birthPlace: 'Surabaya',
      birthDate: person.birthDate,
      sex: person.sex,
      ktpAddress: {
        provinceCode: '35',
        regencyCode: '35.78',
        districtCode: '35.78.01',
        villageCode: '35.78.01.1001',
        street: `Jl. Raya Karang Pilang No. ${1 + (index % 200)}`,
        rt: pad(1 + (index % 12), 3),
        rw: pad(1 + (index % 5), 3),
        postalCode: '60221',
      },
      domicile: null,
      phone: `+62${MOBILE_PREFIXES[index % MOBILE_PREFIXES.length]}${pad(10_000_000 + ((index * 7919) % 90_000_000), 8)}`,
      email: index % 3 === 0 ? null : `peserta${index}@example.com`,
      education: EDUCATION[index % EDUCATION.length]!,
      employment: EMPLOYMENT[index % EMPLOYMENT.length]!,
      consent: { dataProcessing: true, truthfulness: true, textVersion: CONSENT_TEXT_VERSION },
      photos: { face: null, card: null },
      acknowledgements: [],
      id: uuidV7(createdMs, `${postId}:${index}`),
      receiptNo: `${postId}-${day}-${crockford(index + 1, 4)}`,
      postId,
      operatorId: 'OP-001',
      createdAt: new Date(createdMs).toISOString(),
      selfService: false,
    })
  }
  return records
}

/**
 * Bytes that look like a small JPEG (SOI … EOI) and are unique per seed; central stores photos by hash and does
 * not decode them, so this is enough to exercise the photo path without an image library.
 */
export function fakeJpeg(seed: string | number, size = 2048): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.alloc(Math.max(size, 8))
  const fill = createHash('sha256').update(`jpeg:${seed}`).digest()
  for (let i = 0; i < bytes.length; i++) bytes[i] = fill[i % fill.length]!
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0)
  bytes.set([0xff, 0xd9], bytes.length - 2)
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/** The record with its face photo set (records from makeValidRecords have none). */
export function withFacePhoto(record: RegistrationRecord, sha256: string): RegistrationRecord {
  return { ...record, photos: { ...record.photos, face: { sha256 } } }
}
