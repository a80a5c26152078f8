import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Role } from '../../../../common/authz'
import { decideAccess } from '../../../../common/authz'
import type { KioskMode } from '../../../../common/settings'
import type { UpdateState, UpdateStatus } from '../../../../common/operations'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'
import { InstallDialog } from './InstallDialog'
import { useUpdateState } from './useUpdateState'
import { targetVersion, updateErrorKey } from './words'
import './update.css'

/** Only what staff may want to know; idle, checking and "updates off" are for the Diagnostik screen. */
const SHOWN: ReadonlySet<UpdateStatus> = new Set(['downloading', 'downloaded', 'installing', 'error'])

/**
 * The updater as staff see it, at the foot of every screen while someone is signed in: a download under way, a
 * version ready and why it waits, the restart, or a failure. Whoever the access table lets install
 * (common/authz.ts) gets "Pasang sekarang"; the kiosk still never installs while a form is open.
 */
export function UpdateNotice(props: { role: Role; mode: KioskMode }) {
  const { t } = useTranslation()
  const [state, setState] = useUpdateState()
  const canInstall = decideAccess('update.installNow', props.role, props.mode) === 'allowed'
  const shown = state !== null && SHOWN.has(state.status)
  return (
    <>
      {/* Present from sign-in on: a live region inserted together with its text is often not read out. The
          title alone, so a download's percentages don't chatter. */}
      <p className="visually-hidden" role="status">
        {shown ? t(`updates.notice.${state.status}`, { version: targetVersion(state) }) : ''}
      </p>
      {shown && (
        <section className={`update-notice update-notice-${state.status} no-print`} aria-label={t('updates.notice.label')}>
          <div className="update-notice-text">
            <p className="update-notice-title">{t(`updates.notice.${state.status}`, { version: targetVersion(state) })}</p>
            <NoticeDetail state={state} />
          </div>
          {state.status === 'downloading' && <DownloadProgress percent={state.progress ?? 0} />}
          {state.status === 'downloaded' && canInstall && <InstallNow version={targetVersion(state)} onState={setState} />}
        </section>
      )}
    </>
  )
}

function NoticeDetail(props: { state: UpdateState }) {
  const { t } = useTranslation()
  const { status, decision, lastError } = props.state
  const lines: string[] = []
  if (status === 'downloaded') lines.push(decision ? t(`updates.reason.${decision.reason}`) : t('updates.notice.whenIdle'))
  if (status === 'installing') lines.push(t('updates.notice.restarting'))
  if (lastError && (status === 'error' || status === 'downloaded')) {
    lines.push(`${t(updateErrorKey(lastError.code))} ${t('updates.notice.errorCode', { code: lastError.code })}`, t('updates.notice.stillWorks'))
  }
  return (
    <>
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </>
  )
}

/** The ARIA progressbar carries the number; the native <progress> only draws it (the CSP allows no inline width). */
function DownloadProgress(props: { percent: number }) {
  const { t } = useTranslation()
  const text = t('updates.notice.progress', { percent: props.percent })
  return (
    <div className="update-progress" role="progressbar" aria-label={t('updates.notice.progressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={props.percent} aria-valuetext={text}>
      <progress aria-hidden="true" value={props.percent} max={100} />
      <span>{text}</span>
    </div>
  )
}

/** "Pasang sekarang", confirmed first: installing closes the app on whoever is using it. */
function InstallNow(props: { version: string; onState: (state: UpdateState) => void }) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState(false)
  const [refused, setRefused] = useState<PoskoErrorShape | null>(null)
  const [waiting, setWaiting] = useState<string | null>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  // Back to the button once the dialog has left the page: while it is open, everything behind it is inert.
  const wasConfirming = useRef(false)
  useEffect(() => {
    if (wasConfirming.current && !confirming) buttonRef.current?.focus()
    wasConfirming.current = confirming
  }, [confirming])

  const install = async () => {
    setConfirming(false)
    setRefused(null)
    setWaiting(null)
    const result = await callPosko((posko) => posko.update.installNow())
    if (!result.ok) setRefused(result.error)
    else {
      // The answer carries the policy's decision: "installing", or why it still waits (a form open somewhere).
      props.onState(result.value)
      const { decision } = result.value
      if (decision?.action === 'wait') setWaiting(decision.reason)
    }
  }

  return (
    <div className="update-install">
      <button type="button" ref={buttonRef} className="primary" onClick={() => setConfirming(true)}>
        {t('updates.notice.installNow')}
      </button>
      {(refused || waiting) && (
        <p className="update-refused" role="alert">
          {refused ? t(`errors.${refused.code}`) : t('updates.notice.notNow', { reason: t(`updates.reason.${waiting}`) })}
        </p>
      )}
      {confirming && <InstallDialog version={props.version} onConfirm={() => void install()} onCancel={() => setConfirming(false)} />}
    </div>
  )
}
