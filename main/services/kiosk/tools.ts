import type { BundleService } from '../bundle'
import { listBundles } from '../bundle'
import type { DiagnosticsService } from '../diagnostics'
import type { Handlers } from '../dispatch'
import type { EnrolmentService } from '../enrolment'
import type { EventBus } from '../platform/events'
import type { KioskCredentials } from '../platform/identity'
import type { Actor } from '../registration/service'
import type { createRetentionService } from '../retention/service'
import { listRemovableDrives } from '../storage/drives'
import type { ActivityTracker } from '../updates'
import type { KioskOptions } from './options'

type ToolHandlers = Pick<
  Handlers,
  | 'retention.purge'
  | 'report.day'
  | 'enrolment.status'
  | 'enrolment.enrol'
  | 'bundle.export'
  | 'bundle.list'
  | 'storage.drives'
  | 'bundle.import'
  | 'diagnostics.get'
  | 'diagnostics.export'
>

/** The supervisor's tools (USB bundles, data deletion, day report) and IT's (enrolment, diagnostics). */
export function toolHandlers(deps: {
  retention: ReturnType<typeof createRetentionService>
  enrolment: EnrolmentService
  enrolled: KioskCredentials | null
  bundles: BundleService
  diagnostics: DiagnosticsService
  options: Pick<KioskOptions, 'centralToken' | 'drives'>
  activity: ActivityTracker
  events: EventBus
  actor: () => Actor
}): ToolHandlers {
  const { retention, enrolment, enrolled, bundles, diagnostics, activity, events, actor, options } = deps
  return {
    'retention.purge': () => retention.purge(actor().operatorId),
    'report.day': ({ date }) => retention.dayReport(date),
    // Not enrolled yet may still mean uploading with a post token: the screen must not say "can't send" then.
    'enrolment.status': () => ({ ...enrolment.status(), uploadsWith: enrolled ? 'enrolment' : options.centralToken ? 'post_token' : null }),
    'enrolment.enrol': (input) => enrolment.enrol(input, actor()),
    'bundle.export': ({ directory }) =>
      activity.during(() =>
        bundles.exportBundle({ directory, actor: actor(), onProgress: (p) => events.emit('bundle.progress', { operation: 'export', done: p.done, total: p.total }) }),
      ),
    'bundle.list': async ({ directory }) => ({ bundles: await listBundles(directory) }),
    'storage.drives': async () => ({ drives: await listRemovableDrives(options.drives) }),
    'bundle.import': ({ file }) =>
      bundles.importBundle(file, { actor: actor(), onProgress: (p) => events.emit('bundle.progress', { operation: 'import', done: p.sentBytes, total: p.totalBytes }) }),
    'diagnostics.get': () => diagnostics.collect(),
    'diagnostics.export': ({ directory }) => activity.during(() => diagnostics.exportTo(directory)),
  }
}
