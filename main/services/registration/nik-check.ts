import type { z } from 'zod'
import type { NikCheck, NikCheckInput, NikSource, NikUnknownReason } from '../../../common/nik-check'
import type { CallFailure, CentralClient } from '../central/client'
import { RecordState } from '../../../common/records'
import type { AuditLog } from '../store/audit'
import type { RegistrationRow } from '../store/registrations'
import type { Actor } from './service'

/** One place a NIK may already be registered: this kiosk, central, and (post network, DESIGN §11) another desk. */
export type NikSourceLookup = (nik: string) => Promise<NikCheck>

export interface NikCheckDeps {
  /** This kiosk's store, through the keyed NIK HMAC (the same unique index that refuses a duplicate at submit). */
  byNik: (nik: string) => RegistrationRow | undefined
  /** The record's name, for staff to see whose receipt it is. */
  nameOf: (row: RegistrationRow) => string
  /** Central, when the kiosk is enrolled (kiosk.ts): a short deadline, and any failure is an `unknown`, never an error. */
  central: NikSourceLookup | null
  /** Another desk of the post, from the replicated post log (network/post-log.ts); null: no post network. */
  desk?: NikSourceLookup | null
  audit: Pick<AuditLog, 'append'>
  /** An applicant alone at a self-service kiosk: no staff signed in there. */
  applicant: (actor: Actor) => boolean
}

/**
 * The duplicate check at the NIK step (issue 19.1). Each source is asked on its own call, the renderer going from the
 * fastest to the slowest, so the local answer shows at the 16th digit and a slow uplink only ever adds a later notice.
 * What it answers depends on who asks: staff see whose receipt it is on this kiosk; an applicant learns only that
 * the NIK is registered; nobody learns which other post holds it (central does not say).
 */
export function createNikCheck(deps: NikCheckDeps) {
  const sources: Record<NikSource, (nik: string, exceptId: string | undefined) => Promise<NikCheck>> = {
    kiosk: async (nik, exceptId) => {
      const row = deps.byNik(nik)
      if (!row || row.id === exceptId || row.sealed === null) return { source: 'kiosk', found: 'none' }
      return {
        source: 'kiosk',
        found: 'here',
        recordId: row.id,
        receiptNo: row.receipt_no,
        fullName: deps.nameOf(row),
        createdAt: row.created_at,
        state: RecordState.parse(row.state),
      }
    },
    desk: async (nik) => (deps.desk ? deps.desk(nik) : { source: 'desk', found: 'unknown', reason: 'not_configured' }),
    central: async (nik) => (deps.central ? deps.central(nik) : { source: 'central', found: 'unknown', reason: 'not_configured' }),
  }

  return async function check(input: z.output<typeof NikCheckInput>, actor: Actor): Promise<NikCheck> {
    const applicant = deps.applicant(actor)
    // An applicant's questions to central would spend the post's allowance of "registered elsewhere" answers
    // (central rate-limits them per kiosk), which its uploads need: at a self-service kiosk only the kiosk is asked.
    if (applicant && input.source === 'central') return { source: 'central', found: 'unknown', reason: 'not_offered' }
    const answer = await sources[input.source](input.nik, input.exceptId)
    const found = answer.found === 'here' || answer.found === 'this_post' || answer.found === 'elsewhere'
    if (!found) return answer
    // A read of someone's registration (or of central's knowledge of one): audited like a search, no NIK in it.
    deps.audit.append({
      actor: actor.operatorId,
      action: 'nik_check',
      recordId: answer.found === 'here' ? answer.recordId : null,
      details: { source: answer.source, found: answer.found },
    })
    return applicant ? { source: answer.source, found: 'registered' } : answer
  }
}

/** Central as a source: its three answers, and every way of not answering as an `unknown` with its reason. */
export function centralNikLookup(client: Pick<CentralClient, 'lookupNik'>): NikSourceLookup {
  return async (nik) => {
    const outcome = await client.lookupNik(nik)
    if (outcome.ok) {
      const answer = outcome.value
      if (answer.match === 'none') return { source: 'central', found: 'none' }
      if (answer.match === 'elsewhere') return { source: 'central', found: 'elsewhere' }
      return { source: 'central', found: 'this_post', receiptNo: answer.receiptNo, registeredAt: answer.registeredAt, state: answer.state }
    }
    return { source: 'central', found: 'unknown', reason: unknownReason(outcome.failure) }
  }
}

function unknownReason(failure: CallFailure): NikUnknownReason {
  switch (failure.kind) {
    case 'transient':
      return failure.reason === 'timeout' ? 'timeout' : failure.reason === 'unreachable' || failure.reason === 'network' ? 'offline' : 'unavailable'
    case 'retry_after':
      return failure.status === 429 ? 'rate_limited' : 'unavailable'
    default:
      return 'unavailable'
  }
}
