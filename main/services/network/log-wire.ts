import { z } from 'zod'
import { PostId, KeyId } from '../platform/identity'
import type { PostLogEvent, PostLogKind } from '../store/post-log'

/**
 * The post log on the wire, and what each version of it reads (design notes, "Mixed versions at a post"). IT updates
 * a post's desks one at a time, so for hours or days desks of two versions pull each other's logs. A page is checked
 * strictly (no field that could carry a name, a NIK or a photo gets in), so a kind or a field a desk does not know
 * used to refuse the whole page, and the pull, which must continue the sequence exactly, stalled at that event for
 * good. From this version on:
 * - a desk says in its page request which kinds and optional fields it reads (`kinds`, `fields`), and the serving
 *   desk sends an event it would not read as a **placeholder** `{ seq, skipped: kind }`: the sequence stays whole,
 *   the placeholder carries nothing else;
 * - a serving desk ignores request fields it does not know (the versions before refused them: `bad_request`, and the
 *   asker then asks again in the old shape, `{ after, limit }`);
 * - a request in the old shape comes from a version before this one, which reads `FIELD_DIALECT` and knows no
 *   placeholder: an event outside it is sent **disguised as a desk status** (a kind those versions read), marked by
 *   `selfService: true`, which no real desk status carries.
 */
export const PAGE_LIMIT = 500

export const KINDS = ['registered', 'nik', 'state', 'resolved', 'desk', 'relayed'] as const satisfies readonly PostLogKind[]
/** The optional event fields, each carried by one kind only: 'resolved' keptId, 'desk' queueDepth, 'relayed' origin. */
export const OPTIONAL_FIELDS = ['keptId', 'queueDepth', 'origin'] as const
export type OptionalField = (typeof OPTIONAL_FIELDS)[number]

/** What one version of the post log's wire reads and how it asks. */
export interface LogDialect {
  /** Event kinds it reads. */
  readonly kinds: readonly PostLogKind[]
  /** Optional event fields it reads. */
  readonly fields: readonly OptionalField[]
  /** Its requests say what it reads, and it takes placeholders (this version on); false: it asks `{ after, limit }`. */
  readonly says: boolean
  /** It refuses a request carrying a field it does not know (every version before this one). */
  readonly strictRequests: boolean
}

/** This version. */
export const DIALECT: LogDialect = { kinds: KINDS, fields: OPTIONAL_FIELDS, says: true, strictRequests: false }
/**
 * The versions already in the field (migration 017 up to this one): every kind and field of today, the old request
 * shape, strict requests, no placeholders. A request in the old shape is read as coming from one of them.
 */
export const FIELD_DIALECT: LogDialect = { kinds: KINDS, fields: OPTIONAL_FIELDS, says: false, strictRequests: true }

/** A kind's or field's name in a request or a placeholder: a short word, nothing else fits. */
const Name = z.string().regex(/^[a-z][A-Za-z_]{0,31}$/)
/** The page request: unknown fields are ignored (a later version may add some); an old server refuses them. */
export const PageRequest = z.object({
  after: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(PAGE_LIMIT),
  kinds: z.array(Name).max(64).optional(),
  fields: z.array(Name).max(64).optional(),
})
/** The request as the versions before this one parsed it. */
const OldPageRequest = z.strictObject({ after: z.number().int().nonnegative(), limit: z.number().int().positive().max(PAGE_LIMIT) })

export function parseRequest(params: unknown, dialect: LogDialect): z.infer<typeof PageRequest> | null {
  const request = (dialect.strictRequests ? OldPageRequest : PageRequest).safeParse(params)
  return request.success ? request.data : null
}

const Base64Hmac = z.string().regex(/^[A-Za-z0-9+/]{43}=$/)
const RecordId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
const Seq = z.number().int().positive()
const optionalFieldSchemas = {
  // 'resolved' only (the anomaly screen's mark), and left out otherwise.
  keptId: RecordId.optional(),
  // 'desk' only (a desk's status: its upload queue depth), likewise.
  queueDepth: z.number().int().nonnegative().max(10_000_000).optional(),
  // 'relayed' only (issue 22.2: this desk posted another desk's record to central), likewise: that desk's id.
  origin: KeyId.optional(),
}
/** An event as this version sends it (and reads it whole). */
export interface WireEvent {
  seq: number
  kind: PostLogKind
  recordId: string | null
  receiptNo: string | null
  nikHmac: string | null
  state: 'accepted' | 'duplicate' | 'rejected' | 'purged' | null
  operatorId: string | null
  selfService: boolean
  at: string
  keptId?: string
  queueDepth?: number
  origin?: string
}
/** An event the asker said it does not read: its place in the sequence and its kind, nothing else. */
export interface Placeholder {
  seq: number
  skipped: string
}
const PlaceholderSchema = z.strictObject({ seq: Seq, skipped: Name })

/** The strict event shape a dialect reads: its kinds, and only the optional fields it knows. */
function eventSchema(dialect: LogDialect) {
  return z.strictObject({
    seq: Seq,
    kind: z.enum(dialect.kinds as [PostLogKind, ...PostLogKind[]]),
    // Null for a 'desk' event only (checked below).
    recordId: RecordId.nullable(),
    receiptNo: z.string().regex(/^[A-Z0-9-]{1,48}$/).nullable(),
    nikHmac: Base64Hmac.nullable(),
    state: z.enum(['accepted', 'duplicate', 'rejected', 'purged']).nullable(),
    operatorId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).nullable(),
    selfService: z.boolean(),
    at: z.iso.datetime({ offset: true }),
    ...Object.fromEntries(dialect.fields.map((f) => [f, optionalFieldSchemas[f]])),
  })
}
const schemas = new WeakMap<LogDialect, ReturnType<typeof eventSchema>>()
const schemaOf = (dialect: LogDialect) => {
  let schema = schemas.get(dialect)
  if (!schema) schemas.set(dialect, (schema = eventSchema(dialect)))
  return schema
}
const Page = z.strictObject({ postId: PostId, kioskId: KeyId, events: z.array(z.unknown()).max(PAGE_LIMIT) })

/** `newer_log`: the page holds a kind this desk does not read (the serving desk is newer and did not leave it out). */
export type PageFault = 'bad_page' | 'newer_log' | 'other_post' | 'wrong_kiosk' | 'wrong_sequence' | 'too_many'

export class PageError extends Error {
  constructor(
    readonly fault: PageFault,
    message: string,
  ) {
    super(message)
    this.name = 'PageError'
  }
}

export const toWire = ({ keptId, queueDepth, originKioskId, ...e }: PostLogEvent): WireEvent => ({
  ...e,
  nikHmac: e.nikHmac ? e.nikHmac.toString('base64') : null,
  ...(keptId ? { keptId } : {}),
  ...(queueDepth !== null ? { queueDepth } : {}),
  ...(originKioskId ? { origin: originKioskId } : {}),
})
// Times are stored in UTC (own events are written so): the home screen's "today" is then a string range.
const fromWire = ({ origin, ...e }: WireEvent): PostLogEvent => ({
  ...e,
  nikHmac: e.nikHmac ? Buffer.from(e.nikHmac, 'base64') : null,
  at: new Date(e.at).toISOString(),
  keptId: e.keptId ?? null,
  queueDepth: e.queueDepth ?? null,
  originKioskId: origin ?? null,
})

/** Whether an event's fields fit its kind (a 'state' has a state and no HMAC; a mark names two records, nothing else). */
function consistent(e: WireEvent): boolean {
  // A desk status names no record and carries nothing but its queue depth; a record event carries no queue depth.
  if (e.kind === 'desk') {
    return e.recordId === null && e.queueDepth !== undefined && e.receiptNo === null && e.nikHmac === null && e.state === null && e.operatorId === null && e.keptId === undefined && e.origin === undefined
  }
  if (e.recordId === null || e.queueDepth !== undefined) return false
  // A relay's outcome names the record, the desk it belongs to and central's answer; nothing else.
  if (e.kind === 'relayed') {
    return e.origin !== undefined && e.state !== null && e.state !== 'purged' && e.nikHmac === null && e.receiptNo === null && e.operatorId === null && e.keptId === undefined
  }
  if (e.origin !== undefined) return false
  switch (e.kind) {
    case 'state':
      return e.state !== null && e.nikHmac === null && e.keptId === undefined
    case 'resolved':
      return e.keptId !== undefined && e.keptId !== e.recordId && e.state === null && e.nikHmac === null && e.receiptNo === null
    case 'nik':
      return e.state === null && e.nikHmac !== null && e.keptId === undefined
    case 'registered':
      return e.state === null && e.keptId === undefined
  }
}

export interface ReadPage {
  /** The events to store, in order. */
  events: PostLogEvent[]
  /** Placeholders: events the serving desk left out because this desk does not read them. */
  skipped: Placeholder[]
  /** The last sequence the page covered (events and placeholders); `after` for an empty page. */
  through: number
  /** How many entries the page held (events and placeholders). */
  length: number
}

/** Checks a pulled page against what was asked, as `dialect` reads it; throws PageError, never stores. */
export function readPage(raw: unknown, expected: { postId: string; kioskId: string; after: number }, dialect: LogDialect = DIALECT): ReadPage {
  const page = Page.safeParse(raw)
  if (!page.success) {
    const tooMany = page.error.issues.some((i) => i.code === 'too_big' && i.path.length === 1 && i.path[0] === 'events')
    throw new PageError(tooMany ? 'too_many' : 'bad_page', `page: ${page.error.issues[0]?.message ?? 'invalid'}`)
  }
  if (page.data.postId !== expected.postId) throw new PageError('other_post', `page of post ${page.data.postId}, not ${expected.postId}`)
  if (page.data.kioskId !== expected.kioskId) throw new PageError('wrong_kiosk', 'page of another kiosk\'s log than the one answering')
  const schema = schemaOf(dialect)
  const events: PostLogEvent[] = []
  const skipped: Placeholder[] = []
  page.data.events.forEach((raw, i) => {
    const due = expected.after + i + 1
    const isPlaceholder = typeof raw === 'object' && raw !== null && 'skipped' in raw
    if (isPlaceholder) {
      // Only a desk that said what it reads is sent placeholders; the versions before would refuse one.
      const placeholder = PlaceholderSchema.safeParse(raw)
      if (!dialect.says || !placeholder.success) throw new PageError('bad_page', `entry ${due}: not an event`)
      if (placeholder.data.seq !== due) throw new PageError('wrong_sequence', `event ${placeholder.data.seq} where ${due} was due`)
      skipped.push(placeholder.data)
      return
    }
    const event = schema.safeParse(raw)
    if (!event.success) {
      const kind = (raw as { kind?: unknown } | null)?.kind
      // A kind this desk does not read, named as a kind would be: the serving desk runs a newer version (one that
      // does not leave such events out for this desk); anything else is a page no desk should send.
      const newer = typeof kind === 'string' && Name.safeParse(kind).success && !(dialect.kinds as readonly string[]).includes(kind)
      throw new PageError(newer ? 'newer_log' : 'bad_page', newer ? `event ${due}: kind '${kind}' is not read by this version` : `event ${due}: ${event.error.issues[0]?.message ?? 'invalid'}`)
    }
    const e = event.data as WireEvent
    if (e.seq !== due) throw new PageError('wrong_sequence', `event ${e.seq} where ${due} was due`)
    if (!consistent(e)) throw new PageError('bad_page', `event ${e.seq}: fields do not match its kind`)
    events.push(fromWire(e))
  })
  const length = page.data.events.length
  return { events, skipped, through: expected.after + length, length }
}

/** Checks a pulled page (see readPage) and returns its events to store. */
export function checkPage(raw: unknown, expected: { postId: string; kioskId: string; after: number }, dialect: LogDialect = DIALECT): PostLogEvent[] {
  return readPage(raw, expected, dialect).events
}

/** What the asker reads: what its request says, or, for a request in the old shape, what the versions before read. */
export interface Reader {
  kinds: ReadonlySet<string>
  fields: ReadonlySet<string>
  /** It said what it reads (so it takes placeholders). */
  says: boolean
}

export function readerOf(request: z.infer<typeof PageRequest>, oldAsker: Pick<LogDialect, 'kinds' | 'fields'>): Reader {
  if (request.kinds) return { kinds: new Set(request.kinds), fields: new Set(request.fields ?? []), says: true }
  return { kinds: new Set(oldAsker.kinds), fields: new Set(oldAsker.fields), says: false }
}

/** Whether the reader reads this event whole: its kind, and every optional field it carries. */
export function reads(reader: Reader, e: WireEvent): boolean {
  return reader.kinds.has(e.kind) && OPTIONAL_FIELDS.every((f) => e[f] === undefined || reader.fields.has(f))
}

/**
 * The event as a desk status, for an asker of the old shape that does not read it: a kind every version since
 * migration 015 reads, carrying the time of the event it stands for (a real time of this desk: the asker's "last
 * seen" stays true) and the queue depth of this desk's latest status before it (its figure stays as it was), marked
 * `selfService: true` (no real status carries it) so a later version can tell it from a status and ask again.
 * Null when the asker does not read desk statuses either (versions before 015: the page stops before the event).
 */
export function disguise(reader: Reader, e: WireEvent, queueDepth: number): WireEvent | null {
  if (!reader.kinds.has('desk') || !reader.fields.has('queueDepth')) return null
  return { seq: e.seq, kind: 'desk', recordId: null, receiptNo: null, nikHmac: null, state: null, operatorId: null, selfService: true, at: e.at, queueDepth }
}
