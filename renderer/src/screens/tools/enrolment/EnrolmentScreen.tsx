import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Role } from '../../../../../common/authz'
import { decideAccess } from '../../../../../common/authz'
import type { EnrolmentStatus } from '../../../../../common/operations'
import type { AppInfo } from '../../../../../common/settings'
import { useCall } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { formatDateTime } from '../../../dates'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { EnrolForm } from './EnrolForm'

/**
 * "Pendaftaran perangkat": whether this kiosk is enrolled to central, and for IT the form that enrols it. A
 * supervisor sees the status only (bundles need an enrolled kiosk), with whom to ask. The kiosk reads its post and
 * central URL at start, so a new enrolment asks for a restart.
 */
export function EnrolmentScreen(props: { info: AppInfo; role: Role | null }) {
  const { t } = useTranslation()
  const [status, reload, setStatus] = useCall((posko) => posko.enrolment.status())
  const [enrolledNow, setEnrolledNow] = useState(false)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  const canEnrol = decideAccess('enrolment.enrol', props.role, props.info.mode) === 'allowed'
  const current = status.status === 'ready' ? status.value : null
  // Enrolled here just now, or earlier to another post than the one this run started with: either way, restart.
  const restart = current?.enrolled === true && (enrolledNow || current.postId !== props.info.postId)

  return (
    <div className="tools enrolment">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('tools.enrolment.title')}
      </h1>
      <p className="tool-intro">{t('tools.enrolment.intro')}</p>
      {restart && current && (
        <RestartNotice post={current.postName ?? current.postId ?? ''} moved={current.postId !== props.info.postId} running={props.info.postId} focus={enrolledNow} />
      )}
      <section className="card tool-card" aria-labelledby="enrolment-status">
        <h2 id="enrolment-status">{t('tools.enrolment.status')}</h2>
        {status.status === 'loading' && <p role="status">{t('app.loading')}</p>}
        {status.status === 'error' && <ErrorPanel error={status.error} onRetry={reload} />}
        {current && <StatusFacts status={current} running={props.info.postId} />}
      </section>
      {canEnrol ? (
        <EnrolForm
          initial={{ centralUrl: current?.centralUrl ?? '', postId: current?.postId ?? props.info.postId }}
          key={current ? 'loaded' : 'loading'}
          onEnrolled={(next) => {
            setStatus(next)
            setEnrolledNow(true)
          }}
        />
      ) : (
        <p className="note">{t('tools.enrolment.readOnly')}</p>
      )}
    </div>
  )
}

function StatusFacts(props: { status: EnrolmentStatus; running: string }) {
  const { t, i18n } = useTranslation()
  const { status } = props
  if (!status.enrolled && status.uploadsWith === 'post_token') {
    // Sending already (a post token from the start-up config): say that, and what enrolling would add.
    return (
      <p className="note" data-enrolment="post-token">
        {t('tools.enrolment.postToken')}
      </p>
    )
  }
  if (!status.enrolled) return <p className="tool-warning">{t('tools.enrolment.notEnrolled')}</p>
  return (
    <>
      <p className="verdict verdict-ok">{t('tools.enrolment.enrolled')}</p>
      <dl className="facts tool-facts">
        <dt>{t('tools.enrolment.postId')}</dt>
        <dd className="mono" data-enrolment="post">
          {status.postId}
        </dd>
        <dt>{t('tools.enrolment.postName')}</dt>
        <dd>{status.postName}</dd>
        <dt>{t('tools.enrolment.centralUrl')}</dt>
        <dd className="mono record-id">{status.centralUrl}</dd>
        <dt>{t('tools.enrolment.enrolledAt')}</dt>
        <dd>{status.enrolledAt ? formatDateTime(status.enrolledAt, i18n.language) : ''}</dd>
        <dt>{t('tools.enrolment.keyId')}</dt>
        <dd className="mono record-id">{status.kioskKeyId}</dd>
        <dt>{t('tools.enrolment.running')}</dt>
        <dd className="mono">{props.running}</dd>
      </dl>
    </>
  )
}

/**
 * Said where it can't be missed, and focused when it results from what the person just did. Moved to another post,
 * the kiosk keeps working as the old one until restarted; that is worth saying in so many words.
 */
function RestartNotice(props: { post: string; moved: boolean; running: string; focus: boolean }) {
  const { t } = useTranslation()
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (props.focus) headingRef.current?.focus()
  }, [props.focus])
  return (
    <section className="restart-notice" aria-labelledby="restart-title">
      <h2 id="restart-title" ref={headingRef} tabIndex={-1}>
        {t('tools.enrolment.restartTitle')}
      </h2>
      <p>{props.moved ? t('tools.enrolment.restartMoved', { post: props.post, running: props.running }) : t('tools.enrolment.restart', { post: props.post })}</p>
    </section>
  )
}
