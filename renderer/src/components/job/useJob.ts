import { useCallback, useRef, useState } from 'react'
import type { PoskoApi } from '../../../../common/api'
import type { PoskoErrorShape, Result } from '../../../../common/result'
import { callPosko } from '../../api'

export type Job<T> = { status: 'idle' } | { status: 'running' } | { status: 'done'; value: T } | { status: 'failed'; error: PoskoErrorShape }

/**
 * One long call a screen starts on request (an export, a purge, an enrolment): its state, and a guard so a second
 * press while it runs sends nothing (the kiosk would refuse it as busy anyway). `reset` forgets the last outcome,
 * for a form whose own checks now say more than the last refusal did.
 */
export function useJob<T>(): {
  job: Job<T>
  run: (call: (posko: PoskoApi) => Promise<Result<T>>) => Promise<Result<T> | null>
  reset: () => void
} {
  const [job, setJob] = useState<Job<T>>({ status: 'idle' })
  const running = useRef(false)
  const run = useCallback(async (call: (posko: PoskoApi) => Promise<Result<T>>) => {
    if (running.current) return null
    running.current = true
    setJob({ status: 'running' })
    const result = await callPosko(call)
    running.current = false
    setJob(result.ok ? { status: 'done', value: result.value } : { status: 'failed', error: result.error })
    return result
  }, [])
  const reset = useCallback(() => {
    if (!running.current) setJob({ status: 'idle' })
  }, [])
  return { job, run, reset }
}
