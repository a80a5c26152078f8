import type { ReactNode, RefObject } from 'react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { RecordDetails } from '../../search/RecordDetails'
import type { RegistrationFlow } from '../useRegistrationFlow'
import type { DraftGuard } from './draftGuard'
import { draftStepOf } from './draftGuard'
import type { DuplicateActions } from './duplicateActions'
import { ReprintReceipt } from './ReprintReceipt'

type Aside = { kind: 'record'; id: string } | { kind: 'receipt'; id: string } | null

/**
 * The staff desk's side of a registration (issue 19): the duplicate's record and receipt shown in its place while the
 * registration waits unchanged underneath, and the guard the app shell asks before leaving it.
 */
export function useDeskAside(flow: RegistrationFlow, restart: () => void, guard?: RefObject<DraftGuard | null>): { aside: ReactNode; actions: DuplicateActions } {
  const { t } = useTranslation()
  const [aside, setAside] = useState<Aside>(null)
  const current = useRef(flow)
  current.current = flow

  useEffect(() => {
    if (!guard) return
    guard.current = {
      started: () => current.current.started,
      snapshot: () => {
        return { form: current.current.form, step: draftStepOf(current.current.page.step) ?? 'review' }
      },
    }
    return () => {
      guard.current = null
    }
  }, [guard])

  const actions = useMemo<DuplicateActions>(
    () => ({ open: (id) => setAside({ kind: 'record', id }), reprint: (id) => setAside({ kind: 'receipt', id }), restart }),
    [restart],
  )
  const back = () => setAside(null)
  const view =
    aside?.kind === 'record' ? (
      <RecordDetails key={aside.id} id={aside.id} onBack={back} backLabel={t('desk.duplicate.backToRegistration')} />
    ) : aside?.kind === 'receipt' ? (
      <ReprintReceipt key={aside.id} id={aside.id} onBack={back} onRestart={restart} />
    ) : null
  return { aside: view, actions }
}
