import type { KioskConfig } from '../../../common/config'
import type { RegionIndex } from '../../../common/regions'
import type { KioskMode } from '../../../common/settings'
import { createCentralClient } from '../central/client'
import type { Transport } from '../central/transport'
import type { Handlers } from '../dispatch'
import type { PostLogSync } from '../network/post-log'
import type { PostTrust } from '../network/trust'
import type { EventBus } from '../platform/events'
import type { Logger } from '../platform/logger'
import type { TrustedTime } from '../platform/trusted-time'
import type { DraftService } from '../registration/drafts'
import { centralNikLookup, createNikCheck } from '../registration/nik-check'
import type { createReceiptPrinting } from '../registration/receipt-print'
import type { Actor, RegistrationService } from '../registration/service'
import type { Vault } from '../security/vault'
import type { AuditLog } from '../store/audit'
import type { RegistrationsRepository } from '../store/registrations'

/**
 * Central's answer to "is this NIK registered?" at the NIK step: short, since it only adds a notice to what the kiosk
 * already said; a slow or absent uplink never holds the operator up (the local check answered first).
 */
const NIK_LOOKUP_TIMEOUT_MS = 2500

type DeskNikCheck = ReturnType<typeof createNikCheck>

/** The NIK step's duplicate check across its three sources: this kiosk, another desk of the post, central. */
export function createDeskNikCheck(deps: {
  token: string | undefined
  centralUrl: string
  transport: Transport | undefined
  trustedTime: Pick<TrustedTime, 'observeCentral'>
  registrationsRepo: RegistrationsRepository
  vault: Vault
  registrations: RegistrationService
  postTrust: PostTrust
  postLog: PostLogSync
  audit: AuditLog
  mode: () => KioskMode
}): DeskNikCheck {
  const { token, centralUrl, trustedTime, registrationsRepo, vault, registrations, postTrust, postLog, audit, mode } = deps
  const nikLookupClient = token
    ? createCentralClient({ baseUrl: centralUrl, token, transport: deps.transport, timeoutMs: NIK_LOOKUP_TIMEOUT_MS, onDate: (date) => trustedTime.observeCentral(date) })
    : null
  return createNikCheck({
    byNik: (nik) => registrationsRepo.byNikHash(vault.nikHash(nik)),
    nameOf: (row) => registrations.nameOf(row),
    central: nikLookupClient ? centralNikLookup(nikLookupClient) : null,
    // Another desk of the post (DESIGN §11): the post log's NIK HMACs, offline; the oldest registration decides.
    desk: async (nik) => {
      if (!postTrust.postKey()) return { source: 'desk', found: 'unknown', reason: 'not_configured' }
      const held = postLog.otherDesks(nik)[0]
      if (!held) return { source: 'desk', found: 'none' }
      return {
        source: 'desk',
        found: 'this_post',
        receiptNo: held.receiptNo ?? '',
        registeredAt: held.at,
        state: held.state ?? 'queued',
        ...(held.desk ? { desk: held.desk } : {}),
      }
    },
    audit,
    applicant: (who) => mode() === 'self-service' && who.operatorId === null,
  })
}

type RegistrationHandlers = Pick<
  Handlers,
  | 'regions.children'
  | 'registration.validate'
  | 'registration.submit'
  | 'registration.get'
  | 'registration.find'
  | 'registration.update'
  | 'registration.reprint'
  | 'registration.checkNik'
  | 'drafts.park'
  | 'drafts.list'
  | 'drafts.resume'
  | 'registration.listRejected'
  | 'registration.listReview'
  | 'registration.approve'
  | 'receipt.print'
  | 'staff.call'
>

/** The desk's registration flow, from the region pickers to the receipt, and the applicant's call for staff. */
export function registrationHandlers(deps: {
  regions: RegionIndex
  registrations: RegistrationService
  checkNik: DeskNikCheck
  drafts: DraftService
  printReceipt: ReturnType<typeof createReceiptPrinting>
  audit: AuditLog
  events: EventBus
  config: Pick<KioskConfig, 'postId'>
  logger: Logger
  now: () => Date
  actor: () => Actor
}): RegistrationHandlers {
  const { regions, registrations, checkNik, drafts, printReceipt, audit, events, logger, now, actor } = deps
  return {
    'regions.children': ({ parent }) => ({ items: regions.children(parent).map(({ code, name }) => ({ code, name })) }),
    'registration.validate': ({ draft }) => registrations.validate(draft),
    'registration.submit': ({ draft }) => registrations.submit(draft, actor()),
    'registration.get': ({ id }) => registrations.get(id, actor()),
    'registration.find': ({ query }) => registrations.find(query, actor()),
    'registration.update': ({ id, draft }) => registrations.update(id, draft, actor()),
    'registration.reprint': ({ id }) => registrations.reprint(id, actor()),
    'registration.checkNik': (input) => checkNik(input, actor()),
    'drafts.park': (input) => drafts.park(input, actor()),
    'drafts.list': () => drafts.list(),
    'drafts.resume': ({ id }) => drafts.resume(id, actor()),
    'registration.listRejected': () => registrations.listRejected(actor()),
    'registration.listReview': () => registrations.listReview(actor()),
    'registration.approve': ({ id }) => registrations.approve(id, actor()),
    'receipt.print': printReceipt,
    'staff.call': ({ reason }) => {
      const calledAt = now().toISOString()
      audit.append({ actor: actor().operatorId, action: 'call_staff', details: { reason } })
      logger.info('staff called to the kiosk', { reason })
      events.emit('staff.called', { reason, at: calledAt, postId: deps.config.postId })
      return { calledAt }
    },
  }
}
