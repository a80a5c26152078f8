import { v7 as uuidv7 } from 'uuid'
import type { z } from 'zod'
import type { PhotoKind } from '../../../common/photos'
import type { FieldIssue, NikInsight, Receipt, RegistrationSummary, RegistrationView, ValidationReport } from '../../../common/records'
import type { KioskMode } from '../../../common/settings'
import { RecordState } from '../../../common/records'
import type { KioskConfig } from '../../../common/config'
import { checkEmail } from '../../../common/email'
import { unanswered, warningsToConfirm } from '../../../common/acknowledgements'
import { parseNik } from '../../../common/nik'
import { parseSearchQuery } from '../../../common/search'
import { maskNik } from '../../../common/receipt'
import type { RegionIndex } from '../../../common/regions'
import type { RegistrationDraft, RegistrationRecord as RecordType } from '../../../common/registration'
import { RegistrationDraft as DraftSchema, isOverridden, RegistrationRecord } from '../../../common/registration'
import type { Issue } from '../../../common/result'
import { DomainError } from '../../../common/result'
import type { Logger } from '../platform/logger'
import type { AuditLog } from '../store/audit'
import type { NewRegistration, RegistrationRow, RegistrationsRepository } from '../store/registrations'
import { DuplicateNikError } from '../store/registrations'
import type { Vault } from '../security/vault'
import type { SearchIndexRepository } from '../store/search-index'
import { formatReceiptNo, receiptDay } from './receipt'
import type { Backfill } from './search-index'
import { nameMatches, recordTokens, startBackfill } from './search-index'

/** Most results a search lists (newest first); more means "add a word". */
export const SEARCH_LIMIT = 50

export interface RegistrationServiceDeps {
  config: KioskConfig
  repo: RegistrationsRepository
  /** The blind index for find by name or phone (migration 012), written in the same transactions as the records. */
  searchIndex: SearchIndexRepository
  vault: Vault
  audit: AuditLog
  regions: RegionIndex
  logger: Logger
  now: () => Date
  /** False while `now` is implausible (see platform/trusted-time.ts): no age question is asked from it. */
  todayKnown?: () => boolean
  /** The kiosk's current mode: a supervisor can switch it at run time, so it is read per call. */
  mode: () => KioskMode
  /** Runs `fn` in one database transaction: a record, its outbox row and its audit row commit together. */
  transaction: <T>(fn: () => T) => T
  /** The photo service's side of a submit (photos/service.ts); registration does not reach into photos itself. */
  photos: DraftPhotos
  /** Held self-service records (outbox rows staff must approve first). */
  review: { heldIds(limit: number): string[]; release(recordId: string, nowIso: string): boolean }
  /** Central may hold this record already (its batch went out, the answer never came back). */
  inDoubt: (recordId: string) => boolean
  /** False while the vault key sits unprotected on a packaged kiosk and IT has not allowed that (kiosk.ts). */
  registering: () => boolean
  /** Called after every committed change so the home screen and the uploader can react. */
  onChange: () => void
  /** The NIK's HMAC under the post key (the post network), or null while the kiosk has none; kept on the record for the post log. */
  postNikHash?: (nik: string) => Buffer | null
}

/**
 * Its batch may have reached central, the answer never came back: an edit now would be a version central never gets
 * (a re-send is answered with the stored first answer). Editing waits for central's answer (migration 010).
 */
function awaitingCentral(): DomainError {
  return new DomainError('conflict', 'central may already hold this registration; edit it once central has answered', { reason: 'awaiting_central' })
}

export interface DraftPhotos {
  /** Field issues (i18n keys) for the draft's photo references, and which photos an operator overrode. */
  checkDraft(draft: RegistrationDraft, options: { required: boolean; selfService: boolean }): { issues: Issue[]; overrides: PhotoKind[] }
  /** Claims the draft's photos for the committed record, inside the submit transaction. */
  link(draft: RegistrationDraft, recordId: string): void
}

export type SearchBy = 'nik' | 'receipt' | 'phone' | 'name' | 'none'

/**
 * The audit row of a staff-approved photo: which photo and the reason chosen from the list. Never the reason's own
 * words: they are free text (they could name someone) and stay in the sealed record.
 */
function overrideDetails(draft: RegistrationDraft, kind: PhotoKind): Record<string, string> {
  return { kind, reason: draft.photos[kind]?.overrideCode ?? 'unspecified' }
}

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value])

export interface Actor {
  operatorId: string | null
}

/** Zod's own messages become i18n keys too, so every field error can be shown in the user's language. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message.startsWith('validation.') ? i.message : `validation.${i.code}`,
  }))
}

export function createRegistrationService(deps: RegistrationServiceDeps) {
  const { repo, vault, audit, config, now } = deps
  let backfill: Backfill | null = null

  const sealRecord = (record: RecordType) => vault.seal(Buffer.from(JSON.stringify(record), 'utf8'), record.id)

  const openRecord = (row: RegistrationRow): RecordType => {
    if (row.sealed === null) throw new DomainError('not_found', 'Personal data of this record has been purged')
    const json = vault.open(row.sealed, row.id).toString('utf8')
    return RegistrationRecord.parse(JSON.parse(json))
  }

  const duplicateError = (nik: string) => {
    const first = repo.byNikHash(vault.nikHash(nik))
    return new DomainError('duplicate_nik', 'NIK already registered on this kiosk', first ? { receiptNo: first.receipt_no } : undefined)
  }

  const toView = (row: RegistrationRow): RegistrationView => ({
    record: openRecord(row),
    state: RecordState.parse(row.state),
    centralId: row.central_id,
    rejection: row.rejection ? (JSON.parse(row.rejection) as FieldIssue[]) : null,
    updatedAt: row.updated_at,
  })

  const hasOverride = (draft: RegistrationDraft) => isOverridden(draft.photos.face) || isOverridden(draft.photos.card)

  const summaryOf = (row: RegistrationRow): RegistrationSummary => ({
    id: row.id,
    receiptNo: row.receipt_no,
    fullName: openRecord(row).fullName,
    state: RecordState.parse(row.state),
    createdAt: row.created_at,
  })

  const receiptOf = (
    facts: { id: string; receiptNo: string; createdAt: string; state: Receipt['state'] },
    person: { fullName: string; nik: string },
  ): Receipt => ({
    ...facts,
    postId: config.postId,
    postName: config.postName,
    programme: config.programmeTitle,
    fullName: person.fullName,
    nikMasked: maskNik(person.nik),
  })

  /** Refuses a draft whose photos are missing, unknown, or failed without an override (self-service: no overrides). */
  function checkPhotos(draft: RegistrationDraft) {
    const checked = deps.photos.checkDraft(draft, { required: config.requirePhotos, selfService: deps.mode() === 'self-service' })
    if (checked.issues.length > 0) throw new DomainError('invalid_input', 'Photos are not acceptable', undefined, checked.issues)
    return checked.overrides
  }

  /** The committed record for the day's `sequence`: ids, receipt and provenance added to the draft, then sealed. */
  function buildNew(draft: RegistrationDraft, actor: Actor, at: Date, sequence: number, nikHmac: Buffer): NewRegistration {
    const record: RecordType = {
      ...draft,
      id: uuidv7({ msecs: at.getTime() }),
      receiptNo: formatReceiptNo(config.postId, receiptDay(at), sequence),
      postId: config.postId,
      operatorId: actor.operatorId,
      createdAt: at.toISOString(),
      selfService: deps.mode() === 'self-service',
    }
    return {
      id: record.id,
      receiptNo: record.receiptNo,
      nikHmac,
      sealed: sealRecord(record),
      postId: record.postId,
      operatorId: record.operatorId,
      selfService: record.selfService,
      photoOverride: hasOverride(draft),
      createdAt: record.createdAt,
      postNikHmac: deps.postNikHash?.(draft.nik) ?? null,
      held: record.selfService && config.selfServiceReview,
    }
  }

  /**
   * Refuses a draft that leaves a warning unanswered which this kiosk raises for it (issue 19): the screen asks
   * for each answer, so this only catches a renderer that didn't, or a draft changed after it was answered.
   */
  function confirmContext() {
    return { today: now(), regions: deps.regions, todayKnown: deps.todayKnown?.() ?? true }
  }

  function checkAnswered(draft: RegistrationDraft) {
    const missing = unanswered(warningsToConfirm(draft, confirmContext()), draft.acknowledgements)
    if (missing.length === 0) return
    throw new DomainError(
      'warning_unacknowledged',
      `warnings not answered: ${missing.map((w) => w.warning).join(', ')}`,
      { warnings: missing.map((w) => w.warning).join(',') },
      missing.map((w) => ({ path: w.path, code: 'warning_unacknowledged', message: `warning.confirm.${w.warning}` })),
    )
  }

  /** "Did you mean gmail.com?" for the common typos; the renderer offers the fix, the applicant decides. */
  function emailWarnings(email: unknown): FieldIssue[] {
    if (typeof email !== 'string' || email.trim() === '') return []
    const checked = checkEmail(email)
    const domain = checked.ok ? checked.suggestion?.split('@')[1] : undefined
    return domain ? [{ path: ['email'], message: `email.suggest:${domain}` }] : []
  }

  function nikInsight(draft: Record<string, unknown>): { insight: NikInsight | null; warnings: FieldIssue[] } {
    if (typeof draft.nik !== 'string') return { insight: null, warnings: [] }
    const parsed = parseNik(draft.nik, {
      today: now(),
      regions: deps.regions,
      typedBirthDate: typeof draft.birthDate === 'string' ? draft.birthDate : null,
      typedSex: draft.sex === 'male' || draft.sex === 'female' ? draft.sex : null,
    })
    if (!parsed.ok) return { insight: null, warnings: [] }
    const { value } = parsed
    const codes = parsed.warnings.map((w) => w.code)
    return {
      insight: {
        birthDate: value.birthDate,
        sex: value.sex,
        province: deps.regions.province(value.provinceCode) ?? { code: value.provinceCode, name: value.provinceCode },
        regency: deps.regions.regency(value.regencyCode) ?? null,
        district: deps.regions.district(value.districtCode) ?? null,
        warnings: codes,
      },
      warnings: codes.map((code) => ({ path: ['nik'], message: `nik.${code}` })),
    }
  }

  return {
    /** The name on a stored record, for the NIK step's "already registered" notice (staff only). */
    nameOf: (row: RegistrationRow) => openRecord(row).fullName,

    validate(draft: Record<string, unknown>): ValidationReport {
      const parsed = DraftSchema.safeParse(draft)
      const { insight, warnings } = nikInsight(draft)
      return {
        valid: parsed.success,
        errors: parsed.success ? [] : toFieldIssues(parsed.error),
        warnings: [...warnings, ...emailWarnings(draft.email)],
        nik: insight,
        confirm: warningsToConfirm(draft, confirmContext()),
      }
    },

    submit(draft: RegistrationDraft, actor: Actor): Receipt {
      if (!deps.registering()) {
        throw new DomainError('unavailable', 'the vault key of this kiosk is not protected; IT must set up a keyring or TPM, or allow it in config', { reason: 'key_unprotected' })
      }
      const at = now()
      const createdAt = at.toISOString()
      const nikHmac = vault.nikHash(draft.nik)
      checkAnswered(draft)
      const overrides = checkPhotos(draft)
      let committed
      try {
        committed = deps.transaction(() => {
          const written = repo.commit(receiptDay(at), (sequence) => buildNew(draft, actor, at, sequence, nikHmac))
          deps.searchIndex.replace(written.id, recordTokens(vault, draft))
          deps.photos.link(draft, written.id)
          audit.append({ actor: actor.operatorId, action: 'register', recordId: written.id })
          for (const kind of overrides) audit.append({ actor: actor.operatorId, action: 'photo_override', recordId: written.id, details: overrideDetails(draft, kind) })
          return written
        })
      } catch (error) {
        if (error instanceof DuplicateNikError) throw duplicateError(draft.nik)
        throw error
      }
      deps.logger.info('registration committed', { id: committed.id })
      deps.onChange()
      return receiptOf({ id: committed.id, receiptNo: committed.receiptNo, createdAt, state: 'queued' }, draft)
    },

    /** "Cetak ulang": the receipt of a stored record as it stands now; audited (who printed whose receipt again). */
    reprint(id: string, actor: Actor): Receipt {
      const row = repo.byId(id)
      if (!row) throw new DomainError('not_found', 'No such registration')
      const record = openRecord(row)
      audit.append({ actor: actor.operatorId, action: 'reprint', recordId: id, details: { receiptNo: row.receipt_no } })
      return receiptOf({ id: row.id, receiptNo: row.receipt_no, createdAt: row.created_at, state: RecordState.parse(row.state) }, record)
    },

    get(id: string, actor: Actor): RegistrationView {
      const row = repo.byId(id)
      if (!row) throw new DomainError('not_found', 'No such registration')
      const view = toView(row)
      audit.append({ actor: actor.operatorId, action: 'view', recordId: id })
      return view
    },

    find(query: string, actor: Actor): { results: RegistrationSummary[]; more: boolean; by: SearchBy; indexing: boolean } {
      const parsed = parseSearchQuery(query)
      let rows: RegistrationRow[] = []
      let more = false
      switch (parsed.kind) {
        case 'nik':
          rows = optional(repo.byNikHash(vault.nikHash(parsed.nik)))
          break
        case 'receipt':
          rows = optional(repo.byReceiptNo(parsed.receiptNo))
          break
        case 'phone':
        case 'name': {
          const tokens = parsed.kind === 'phone' ? [vault.searchToken('phone', parsed.e164)] : parsed.words.map((w) => vault.searchToken('name', w))
          const ids = deps.searchIndex.find(tokens, SEARCH_LIMIT + 1)
          more = ids.length > SEARCH_LIMIT
          rows = ids.slice(0, SEARCH_LIMIT).flatMap((id) => optional(repo.byId(id)))
          break
        }
        case 'none':
          break
        default:
          parsed satisfies never
      }
      const results = rows.flatMap((row) => {
        if (row.sealed === null) return []
        const record = openRecord(row)
        if (parsed.kind === 'phone' && record.phone !== parsed.e164) return []
        if (parsed.kind === 'name' && !nameMatches(record.fullName, parsed.words)) return []
        return [{ id: row.id, receiptNo: row.receipt_no, fullName: record.fullName, state: RecordState.parse(row.state), createdAt: row.created_at }]
      })
      // The query itself is personal (a NIK, a name, a phone): the audit row says what kind of search happened and
      // how many it found, never what was typed.
      audit.append({
        actor: actor.operatorId,
        action: 'search',
        recordId: results.length === 1 ? results[0]!.id : null,
        details: { by: parsed.kind, found: results.length },
      })
      const indexing = (parsed.kind === 'name' || parsed.kind === 'phone') && backfill !== null && backfill.remaining() > 0
      return { results, more, by: parsed.kind, indexing }
    },

    /**
     * Indexes the records from before migration 012 in the background (kiosk.ts calls it once after start-up).
     * Until it is done, name and phone searches say their results may be incomplete.
     */
    startSearchBackfill(): Backfill {
      backfill = startBackfill({ repo: deps.searchIndex, vault, transaction: deps.transaction, logger: deps.logger })
      return backfill
    },

    listReview(actor: Actor) {
      const rows = deps.review.heldIds(200).map((id) => repo.byId(id)).filter((r): r is RegistrationRow => r !== undefined)
      audit.append({ actor: actor.operatorId, action: 'search', details: { list: 'review', found: rows.length } })
      return { results: rows.map((row) => summaryOf(row)) }
    },

    approve(id: string, actor: Actor): RegistrationSummary {
      const row = repo.byId(id)
      if (!row) throw new DomainError('not_found', 'No such registration')
      deps.transaction(() => {
        if (!deps.review.release(id, now().toISOString())) throw new DomainError('conflict', 'This registration is not waiting for review')
        audit.append({ actor: actor.operatorId, action: 'approve', recordId: id })
      })
      deps.onChange()
      return summaryOf(row)
    },

    listRejected(actor: Actor) {
      const rows = repo.rejected(200)
      audit.append({ actor: actor.operatorId, action: 'search', details: { list: 'rejected', found: rows.length } })
      return {
        results: rows.map((row) => ({
          id: row.id,
          receiptNo: row.receipt_no,
          fullName: openRecord(row).fullName,
          state: RecordState.parse(row.state),
          createdAt: row.created_at,
          rejection: row.rejection ? (JSON.parse(row.rejection) as FieldIssue[]) : [],
        })),
      }
    },

    update(id: string, draft: RegistrationDraft, actor: Actor): RegistrationView {
      const row = repo.byId(id)
      if (!row) throw new DomainError('not_found', 'No such registration')
      if (row.state !== 'queued' && row.state !== 'rejected') {
        throw new DomainError('conflict', `A ${row.state} registration can no longer be edited`)
      }
      if (row.state === 'queued' && deps.inDoubt(id)) throw awaitingCentral()
      const previous = openRecord(row)
      checkAnswered(draft)
      const overrides = checkPhotos(draft)
      const record: RecordType = { ...previous, ...draft }
      const updatedAt = now().toISOString()
      const changedFields = (Object.keys(draft) as Array<keyof RegistrationDraft>).filter(
        (k) => JSON.stringify(draft[k]) !== JSON.stringify(previous[k]),
      )
      try {
        deps.transaction(() => {
          // Checked again inside the transaction: an upload may have failed in doubt since the check above.
          if (row.state === 'queued' && deps.inDoubt(id)) throw awaitingCentral()
          const changed = repo.reseal({ id, nikHmac: vault.nikHash(draft.nik), postNikHmac: deps.postNikHash?.(draft.nik) ?? null, sealed: sealRecord(record), photoOverride: hasOverride(draft), updatedAt })
          if (!changed) throw new DomainError('conflict', 'The registration changed state while being edited')
          deps.searchIndex.replace(id, recordTokens(vault, record))
          deps.photos.link(draft, id)
          audit.append({ actor: actor.operatorId, action: 'edit', recordId: id, details: { fields: changedFields.join(',') } })
          for (const kind of overrides) {
            if (draft.photos[kind]?.sha256 !== previous.photos[kind]?.sha256) {
              audit.append({ actor: actor.operatorId, action: 'photo_override', recordId: id, details: overrideDetails(draft, kind) })
            }
          }
        })
      } catch (error) {
        if (error instanceof DuplicateNikError) throw duplicateError(draft.nik)
        throw error
      }
      deps.onChange()
      return toView(repo.byId(id) as RegistrationRow)
    },
  }
}

export type RegistrationService = ReturnType<typeof createRegistrationService>
