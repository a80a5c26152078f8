import { useTranslation } from 'react-i18next'
import type { RegistrationDraft } from '../../../../common/registration'
import type { PoskoErrorShape } from '../../../../common/result'
import { ErrorPanel } from '../../components/ErrorPanel'
import type { FactGroup } from './RegistrationFacts'
import { RegistrationFacts } from './RegistrationFacts'

export type SubmitState =
  | { status: 'idle' }
  | { status: 'sending' }
  | { status: 'duplicate'; receiptNo: string }
  | { status: 'failed'; error: PoskoErrorShape }

/** `intro` replaces the desk's "check with the applicant" where applicants check their own data. */
export function ReviewStep(props: { draft: RegistrationDraft; submit: SubmitState; onEdit: (group: FactGroup) => void; intro?: string }) {
  const { t } = useTranslation()
  const { submit } = props
  return (
    <>
      <p>{props.intro ?? t('registration.review.intro')}</p>
      <RegistrationFacts record={props.draft} onEdit={props.onEdit} headingLevel={3} />
      {submit.status === 'duplicate' && (
        <div className="error-panel" role="alert">
          <p>{submit.receiptNo ? t('registration.review.duplicate', { receiptNo: submit.receiptNo }) : t('errors.duplicate_nik')}</p>
        </div>
      )}
      {submit.status === 'failed' && <ErrorPanel error={submit.error} />}
    </>
  )
}
