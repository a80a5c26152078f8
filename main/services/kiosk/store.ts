import type { Handlers } from '../dispatch'
import type { Actor } from '../registration/service'
import type { AuditLog } from '../store/audit'
import { auditRowView, auditVerdictView } from '../store/audit'
import type { RegistrationsRepository } from '../store/registrations'
import type { StoreHealthKeeper } from '../store/store-health'

export function storeHandlers(deps: {
  storeHealth: StoreHealthKeeper
  audit: AuditLog
  registrationsRepo: RegistrationsRepository
  actor: () => Actor
}): Pick<Handlers, 'store.health' | 'store.dismissMovedAside' | 'audit.verify' | 'audit.list'> {
  const { storeHealth, audit, registrationsRepo, actor } = deps
  return {
    'store.health': () => storeHealth.health(),
    // Once read: the row is marked (not deleted) and the audit row written with it; the folder stays as it is.
    'store.dismissMovedAside': ({ folder }) =>
      storeHealth.dismissMovedAside(folder, actor().operatorId, (notice) =>
        audit.append({ actor: actor().operatorId, action: 'store_notice', details: { change: 'dismiss', folder: notice.folder, moved_at: notice.at } }),
      ),
    'audit.verify': () => auditVerdictView(audit.verify()),
    'audit.list': (filter) => ({ rows: audit.list(filter).map((row) => auditRowView(row, (id) => registrationsRepo.byId(id)?.receipt_no ?? null)) }),
  }
}
