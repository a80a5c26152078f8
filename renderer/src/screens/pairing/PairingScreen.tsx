import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PairingSessionView, PairingView } from '../../../../common/network'
import type { PoskoApi } from '../../../../common/api'
import type { PoskoErrorShape, Result } from '../../../../common/result'
import { callPosko, useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatDateTime } from '../../dates'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'

/**
 * "Pasangkan meja" (issue 21.1): a post that never reached central pairs its desks here. The supervisor opens this
 * screen on both desks, picks the other desk among those waiting, and both screens show the same 6-digit code if
 * nothing sits between them; each supervisor says "same" or "different" on their own desk. The screen asks again every
 * second while a pairing is under way, so a desk that is asked sees the code without touching anything.
 * Plain buttons: Tab, Enter and touch.
 */
export function PairingScreen() {
  const { t, i18n } = useTranslation()
  const [state, reload, set] = useCall((posko) => posko.network.pairing())
  const [refused, setRefused] = useState<PoskoErrorShape | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)

  const session = state.status === 'ready' ? state.value.session : null
  const live = session !== null && ['exchanging', 'compare', 'waiting'].includes(session.state)
  useEffect(() => {
    // Idle: every 3 s (a desk that asks to pair shows up); during a pairing, every second.
    const timer = setInterval(reload, live ? 1000 : 3000)
    return () => clearInterval(timer)
  }, [live, reload])

  const act = async (call: (posko: PoskoApi) => Promise<Result<PairingView>>) => {
    setRefused(null)
    const result = await callPosko(call)
    if (!result.ok) return setRefused(result.error)
    set(result.value)
  }

  return (
    <div className="pairing">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('pairing.title')}
      </h1>
      {refused && <ErrorPanel error={refused} />}
      {state.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {state.status === 'error' && <ErrorPanel error={state.error} onRetry={reload} />}
      {state.status === 'ready' && !state.value.pairable && <p className="note">{t('pairing.notPairable')}</p>}
      {state.status === 'ready' && state.value.pairable && (
        <>
          <p>{t('pairing.intro')}</p>
          {session && <SessionCard session={session} onAnswer={(match) => void act((posko) => posko.network.pairConfirm({ sessionId: session.id, match }))} />}
          <section className="card" aria-labelledby="pairing-waiting">
            <h2 id="pairing-waiting">{t('pairing.waitingTitle')}</h2>
            {state.value.waiting.length === 0 ? (
              <p>{t('pairing.noneWaiting')}</p>
            ) : (
              <ul className="pairing-waiting">
                {state.value.waiting.map((w) => (
                  <li key={w.address}>
                    <span>{t('pairing.deskAt', { address: w.address })}</span>{' '}
                    <button type="button" disabled={live} onClick={() => void act((posko) => posko.network.pairStart({ address: w.address }))}>
                      {t('pairing.pair')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {state.status === 'ready' && (
        <section className="card" aria-labelledby="pairing-paired">
          <h2 id="pairing-paired">{t('pairing.pairedTitle')}</h2>
          {state.value.paired.length === 0 ? (
            <p>{t('pairing.nonePaired')}</p>
          ) : (
            <ul>
              {state.value.paired.map((p) => (
                <li key={p.certSha256}>{t('pairing.pairedAt', { desk: p.name, at: formatDateTime(p.pairedAt, i18n.language) })}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  )
}

function SessionCard(props: { session: PairingSessionView; onAnswer: (match: boolean) => void }) {
  const { t } = useTranslation()
  const { session } = props
  const digits = session.code ?? ''
  return (
    <section className="card pairing-session" aria-labelledby="pairing-session">
      <h2 id="pairing-session">{session.role === 'initiator' ? t('pairing.withDesk', { desk: session.peer }) : t('pairing.askedBy', { desk: session.peer })}</h2>
      {session.state === 'exchanging' && <p role="status">{t('pairing.exchanging')}</p>}
      {(session.state === 'compare' || session.state === 'waiting') && (
        <>
          <p>{t('pairing.compare', { desk: session.peer })}</p>
          {/* Read out digit by digit by a screen reader; shown as two groups of three. */}
          <p className="pairing-code" aria-label={t('pairing.codeLabel', { digits: digits.split('').join(' ') })}>
            {digits.slice(0, 3)} {digits.slice(3)}
          </p>
          {session.confirmed ? (
            <p role="status">{t('pairing.waitingOther', { desk: session.peer })}</p>
          ) : (
            <div className="actions">
              <button type="button" className="primary" onClick={() => props.onAnswer(true)}>
                {t('pairing.same')}
              </button>
              <button type="button" onClick={() => props.onAnswer(false)}>
                {t('pairing.different')}
              </button>
            </div>
          )}
        </>
      )}
      {session.state === 'paired' && <p role="status">{t('pairing.paired', { desk: session.peer })}</p>}
      {session.state === 'cancelled' && <p role="status">{t('pairing.cancelled')}</p>}
      {session.state === 'failed' && <p role="status">{t('pairing.failed', { reason: session.reason ?? '—' })}</p>}
    </section>
  )
}
