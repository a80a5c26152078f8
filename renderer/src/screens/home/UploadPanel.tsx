import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { UploadState } from '../../../../common/upload'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko, useCall, useEvent } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatDateTime, formatTime, isToday } from '../../dates'

/**
 * The uploader in words staff can act on: what it is doing, what went wrong (a code from the kiosk, never server
 * text), when it tries again, and a button for "now" (after the network came back, say).
 */
export function UploadPanel() {
  const { t } = useTranslation()
  const [upload, reload, setUpload] = useCall((posko) => posko.upload.state())
  useEvent(
    'upload.state',
    useCallback((next: UploadState) => setUpload(next), [setUpload]),
  )
  const [starting, setStarting] = useState(false)
  const [refused, setRefused] = useState<PoskoErrorShape | null>(null)

  const uploadNow = async () => {
    setStarting(true)
    setRefused(null)
    const result = await callPosko((posko) => posko.upload.now())
    setStarting(false)
    if (result.ok) setUpload(result.value)
    else setRefused(result.error)
  }

  return (
    <section className="card upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('upload.title')}</h2>
      {upload.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {upload.status === 'error' && <ErrorPanel error={upload.error} onRetry={reload} />}
      {upload.status === 'ready' && (
        <>
          <UploadSummary state={upload.value} />
          {refused && <ErrorPanel error={refused} />}
          <div className="actions actions-start">
            <button
              type="button"
              className="primary"
              disabled={starting || upload.value.status === 'running' || upload.value.status === 'not_configured'}
              onClick={() => void uploadNow()}
            >
              {starting ? t('upload.starting') : t('upload.now')}
            </button>
          </div>
        </>
      )}
    </section>
  )
}

function UploadSummary(props: { state: UploadState }) {
  const { t, i18n } = useTranslation()
  const { state } = props
  const number = new Intl.NumberFormat(i18n.language)
  // "pukul 14.05" today; past midnight the time comes with its date ("7 Desember 2026 pukul 00.03").
  const retry = state.nextAttemptAt ? t(isToday(state.nextAttemptAt) ? 'upload.retryAt' : 'upload.retryOn', { time: formatTime(state.nextAttemptAt, i18n.language) }) : null
  const secondsLeft = state.progress?.secondsLeft
  return (
    <>
      {/* One polite live region: a background change is worth hearing, not worth interrupting for. */}
      <div className="upload-now" role="status">
        <p className={`upload-status upload-status-${state.status}`}>{t(`upload.status.${state.status}`)}</p>
        {state.lastError && (
          <p className="upload-error">{[t(`errors.upload.${state.lastError}`), retry].filter(Boolean).join(' ')}</p>
        )}
      </div>
      {state.status === 'running' && state.progress && <UploadProgress sent={state.progress.sent} total={state.progress.total} />}
      <dl className="facts">
        <dt>{t('upload.pending')}</dt>
        <dd data-upload="pending">{number.format(state.pending)}</dd>
        <dt>{t('upload.lastSync')}</dt>
        <dd data-upload="last-sync">{state.lastSyncAt ? formatDateTime(state.lastSyncAt, i18n.language) : t('upload.never')}</dd>
        {state.status === 'running' && secondsLeft !== undefined && (
          <>
            <dt>{t('upload.estimate')}</dt>
            <dd data-upload="estimate">{timeLeft(t, secondsLeft)}</dd>
          </>
        )}
        {state.nextAttemptAt && (
          <>
            <dt>{t('upload.nextAttempt')}</dt>
            <dd>{formatTime(state.nextAttemptAt, i18n.language)}</dd>
          </>
        )}
      </dl>
    </>
  )
}

/** The drain estimate in words: rounded up to whole minutes, with hours past the first. */
function timeLeft(t: TFunction, seconds: number): string {
  if (seconds < 60) return t('upload.etaUnderMinute')
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return t('upload.etaMinutes', { minutes })
  return t('upload.etaHours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })
}

/**
 * The ARIA progressbar carries the numbers for assistive technology; the native <progress> inside only draws
 * the bar, since the CSP allows no inline style to size one by hand.
 */
function UploadProgress(props: { sent: number; total: number }) {
  const { t } = useTranslation()
  const text = t('upload.progressText', { sent: props.sent, total: props.total })
  return (
    <div
      className="upload-progress"
      role="progressbar"
      aria-label={t('upload.progress')}
      aria-valuemin={0}
      aria-valuemax={props.total}
      aria-valuenow={props.sent}
      aria-valuetext={text}
    >
      <progress aria-hidden="true" value={props.sent} max={Math.max(1, props.total)} />
      <span className="upload-progress-text">{text}</span>
    </div>
  )
}
