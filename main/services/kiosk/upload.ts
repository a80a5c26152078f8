import type { QueueStatus } from '../../../common/records'
import type { Handlers } from '../dispatch'
import type { Uploader } from '../upload/uploader'

export function uploadHandlers(deps: { uploader: Uploader; queueStatus: () => QueueStatus }): Pick<Handlers, 'queue.status' | 'upload.state' | 'upload.now'> {
  const { uploader, queueStatus } = deps
  return {
    'queue.status': () => queueStatus(),
    'upload.state': () => uploader.state(),
    'upload.now': () => uploader.uploadNow(),
  }
}
