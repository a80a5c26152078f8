import type { Handlers } from '../dispatch'
import type { ActivityTracker, UpdateController } from '../updates'

/** Updates, and the one thing they wait for that only the renderer knows: whether a registration is open. */
export function updateHandlers(deps: { updates: UpdateController; activity: ActivityTracker }): Pick<Handlers, 'update.state' | 'update.installNow' | 'registration.draftState'> {
  const { updates, activity } = deps
  return {
    'update.state': () => updates.state(),
    'update.installNow': () => updates.installNow(),
    'registration.draftState': ({ open }) => {
      activity.setDraftOpen(open)
      return { open }
    },
  }
}
