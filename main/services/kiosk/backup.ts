import type { BackupStatusView } from '../../../common/backup'
import type { KioskMode } from '../../../common/settings'
import type { Handlers } from '../dispatch'
import type { DeskRestore } from '../network/restore'
import type { EventBus } from '../platform/events'
import type { Actor } from '../registration/service'
import type { StickBackup } from '../storage/stick-backup'
import type { StickRestoreDeps } from '../storage/stick-restore'
import { restoreFromStick, stickDesks } from '../storage/stick-restore'
import type { AuditLog } from '../store/audit'
import type { ActivityTracker } from '../updates'

/** Cadangan & pemulihan (issue 22): what is not yet safe, the designated stick, restoring a desk's old self. */
export function backupHandlers(deps: {
  deskRestore: DeskRestore
  stick: StickBackup
  stickRestoreDeps: StickRestoreDeps
  backupView: () => BackupStatusView | null
  activity: ActivityTracker
  events: EventBus
  audit: AuditLog
  mode: () => KioskMode
  actor: () => Actor
}): Pick<Handlers, 'backup.restore' | 'backup.stick' | 'backup.designateStick' | 'backup.forgetStick' | 'backup.stickDesks' | 'backup.restoreFromStick' | 'backup.status'> {
  const { deskRestore, stick, stickRestoreDeps, backupView, activity, events, audit, mode, actor } = deps
  return {
    'backup.restore': ({ kioskId }) => activity.during(() => deskRestore.restore(kioskId, (p) => events.emit('backup.progress', p))),
    'backup.stick': () => ({ stick: mode() === 'self-service' ? null : stick.status() }),
    'backup.designateStick': async ({ directory }) => {
      const status = await stick.designate(directory)
      audit.append({ actor: actor().operatorId, action: 'backup_stick', details: { change: 'designate', label: status.label } })
      return status
    },
    'backup.forgetStick': () => {
      const label = stick.status().label
      const status = stick.forget()
      audit.append({ actor: actor().operatorId, action: 'backup_stick', details: { change: 'forget', label } })
      return status
    },
    'backup.stickDesks': ({ directory }) => ({ desks: stickDesks(stickRestoreDeps, directory) }),
    'backup.restoreFromStick': ({ directory, kioskId }) =>
      activity.during(() => restoreFromStick(stickRestoreDeps, directory, kioskId, (p) => events.emit('backup.progress', p))),
    'backup.status': () => ({ backup: mode() === 'self-service' ? null : backupView() }),
  }
}
