import type { KioskConfig } from '../../../common/config'
import type { RegionIndex } from '../../../common/regions'
import type { Handlers } from '../dispatch'
import type { EventBus } from '../platform/events'
import type { Logger } from '../platform/logger'
import type { DraftService } from '../registration/drafts'
import type { createNikCheck } from '../registration/nik-check'
import type { createReceiptPrinting } from '../registration/receipt-print'
import type { Actor, RegistrationService } from '../registration/service'
import type { AuditLog } from '../store/audit'

type DeskNikCheck = ReturnType<typeof createNikCheck>

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
