import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OperatorView } from '../../../../common/staff'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko, useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'
import { CreateOperatorForm } from './CreateOperatorForm'
import { OperatorTable } from './OperatorTable'

/** What the last action did, said once in a live region (or why the kiosk refused it). */
type Outcome = { kind: 'done'; text: string } | { kind: 'refused'; error: PoskoErrorShape } | null

/**
 * Supervisors manage the post's staff: add, unlock after five wrong PINs, deactivate someone who left. IT may only
 * unlock (`manage` false): the way back in when every supervisor is locked out.
 */
export function OperatorsScreen(props: { self: string; manage: boolean }) {
  const { t } = useTranslation()
  const [list, reload] = useCall((posko) => posko.operators.list())
  const [outcome, setOutcome] = useState<Outcome>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)

  const act = async (operator: OperatorView, action: 'unlock' | 'activate' | 'deactivate') => {
    setOutcome(null)
    const result = await callPosko((posko) =>
      action === 'unlock' ? posko.operators.unlock({ operatorId: operator.id }) : posko.operators.setActive({ operatorId: operator.id, active: action === 'activate' }),
    )
    if (!result.ok) {
      // The kiosk refuses a supervisor deactivating themselves; say so plainly rather than "data changed".
      const selfRefusal = result.error.code === 'conflict' && operator.id === props.self
      return setOutcome(selfRefusal ? { kind: 'done', text: t('operators.selfDeactivate') } : { kind: 'refused', error: result.error })
    }
    const words = { unlock: 'operators.unlocked', activate: 'operators.activated', deactivate: 'operators.deactivated' } as const
    setOutcome({ kind: 'done', text: t(words[action], { name: operator.name }) })
    reload()
  }

  return (
    <div className="operators">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('operators.title')}
      </h1>
      {/* Present (empty) from the start: a live region that appears with its text is often not announced. */}
      <p className={outcome?.kind === 'done' ? 'note' : 'status-idle'} role="status">
        {outcome?.kind === 'done' ? outcome.text : ''}
      </p>
      {outcome?.kind === 'refused' && <ErrorPanel error={outcome.error} />}
      <section className="card" aria-labelledby="operators-list">
        <h2 id="operators-list">{t('operators.list')}</h2>
        {list.status === 'loading' && <p role="status">{t('app.loading')}</p>}
        {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
        {list.status === 'ready' && <OperatorTable operators={list.value.operators} self={props.self} manage={props.manage} onAction={(operator, action) => void act(operator, action)} />}
      </section>
      {props.manage && (
        <CreateOperatorForm
          onCreated={(operator) => {
            setOutcome({ kind: 'done', text: t('operators.created', { name: operator.name }) })
            reload()
          }}
        />
      )}
    </div>
  )
}
