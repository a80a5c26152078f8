import { useTranslation } from 'react-i18next'
import type { FieldIssue } from '../../../../common/records'
import { useCall } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formFromDraft } from '../registration/form'
import { useIssueText } from '../registration/rejection'
import { RegistrationScreen } from '../registration/RegistrationScreen'
import './rejected.css'

/** Opens the record (an audited read) and hands it to the registration steps in edit mode. */
export function FixRegistration(props: { id: string; receiptNo: string; rejection: readonly FieldIssue[]; onCancel: () => void; onDone: () => void }) {
  const { t } = useTranslation()
  const [view, reload] = useCall((posko) => posko.registration.get({ id: props.id }))
  if (view.status !== 'ready') {
    return (
      <div className="registration">
        <h1>{t('registration.edit.title', { receiptNo: props.receiptNo })}</h1>
        <BackToList onCancel={props.onCancel} />
        {view.status === 'loading' ? <p role="status">{t('app.loading')}</p> : <ErrorPanel error={view.error} onRetry={reload} />}
      </div>
    )
  }
  return (
    <RegistrationScreen
      edit={{
        id: props.id,
        receiptNo: props.receiptNo,
        initial: formFromDraft(view.value.record),
        rejection: props.rejection,
        notice: <RejectionNotice rejection={props.rejection} onCancel={props.onCancel} />,
        onDone: props.onDone,
      }}
    />
  )
}

function BackToList(props: { onCancel: () => void }) {
  const { t } = useTranslation()
  return (
    <div className="actions actions-start">
      <button type="button" onClick={props.onCancel}>
        {t('rejected.back')}
      </button>
    </div>
  )
}

/** Central's reasons stay in view while staff go through the steps. */
function RejectionNotice(props: { rejection: readonly FieldIssue[]; onCancel: () => void }) {
  const { t } = useTranslation()
  const issueText = useIssueText()
  const reasons = props.rejection.length > 0 ? props.rejection : [{ path: [], message: '' }]
  return (
    <>
      <BackToList onCancel={props.onCancel} />
      <section className="rejection-notice" aria-labelledby="rejection-title">
        <h2 id="rejection-title">{t('registration.edit.reasons')}</h2>
        <ul className="reasons">
          {reasons.map((issue, index) => (
            <li key={index}>{issueText(issue)}</li>
          ))}
        </ul>
      </section>
    </>
  )
}
