import { useCallback, useState } from 'react'
import type { EventPayload } from '../../../../../common/contract'
import { useEvent } from '../../../api'

export type BundleOperation = EventPayload<'bundle.progress'>['operation']
export type Progress = { done: number; total: number } | null

/**
 * The kiosk's `bundle.progress` events for one operation (export counts records, import counts bytes). The
 * kiosk runs one bundle job at a time, so the events of this operation are this screen's job; `reset` clears the
 * last run's numbers before the next starts.
 */
export function useBundleProgress(operation: BundleOperation): [Progress, () => void] {
  const [progress, setProgress] = useState<Progress>(null)
  useEvent(
    'bundle.progress',
    useCallback(
      (event: EventPayload<'bundle.progress'>) => {
        if (event.operation === operation) setProgress({ done: event.done, total: event.total })
      },
      [operation],
    ),
  )
  const reset = useCallback(() => setProgress(null), [])
  return [progress, reset]
}
