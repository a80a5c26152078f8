import { useTranslation } from 'react-i18next'
import type { NikCheck } from '../../../../../common/nik-check'
import { formatDateTime } from '../../../dates'
import { useDuplicateActions } from './duplicateActions'
import type { NikDuplicate } from './useNikDuplicate'
import './desk.css'

/**
 * "Already registered", at the NIK step the moment the NIK is whole (issue 19.1): whose receipt, when, its state,
 * and what staff can do next. An applicant at a self-service kiosk sees a plain message and the way out, never another
 * person's data (the kiosk does not send it to them: `found: 'registered'`).
 */
export function DuplicateNotice(props: { duplicate: NikDuplicate }) {
  const { t } = useTranslation()
  const { found, checking } = props.duplicate
  if (!found) {
    return checking ? (
      <p className="muted" role="status">
        {t('desk.duplicate.checking')}
      </p>
    ) : null
  }
  return (
    <section className="duplicate-notice" role="alert" aria-labelledby="duplicate-title">
      <Facts found={found} />
      <Actions found={found} />
    </section>
  )
}

function Facts({ found }: { found: NikCheck }) {
  const { t, i18n } = useTranslation()
  switch (found.found) {
    case 'here':
      return (
        <>
          <h3 id="duplicate-title">{t('desk.duplicate.titleHere')}</h3>
          <p>{t('desk.duplicate.whose', { name: found.fullName, receiptNo: found.receiptNo })}</p>
          <p>{t('desk.duplicate.when', { when: formatDateTime(found.createdAt, i18n.language), state: t(`state.${found.state}`) })}</p>
          <p>{t('desk.duplicate.cannotSend')}</p>
        </>
      )
    case 'this_post':
      return (
        <>
          <h3 id="duplicate-title">{t('desk.duplicate.titlePost')}</h3>
          <p>
            {found.source === 'desk'
              ? t('desk.duplicate.deskFacts', { desk: found.desk ?? '—', receiptNo: found.receiptNo, when: formatDateTime(found.registeredAt, i18n.language), state: t(`state.${found.state}`) })
              : t('desk.duplicate.postFacts', { receiptNo: found.receiptNo, when: formatDateTime(found.registeredAt, i18n.language), state: t(`state.${found.state}`) })}
          </p>
          <p>{t('desk.duplicate.cannotSend')}</p>
        </>
      )
    case 'elsewhere':
      return (
        <>
          <h3 id="duplicate-title">{t('desk.duplicate.titleElsewhere')}</h3>
          <p>{t('desk.duplicate.elsewhereText')}</p>
          <p>{t('desk.duplicate.cannotSend')}</p>
        </>
      )
    default:
      return (
        <>
          <h3 id="duplicate-title">{t('desk.duplicate.applicantTitle')}</h3>
          <p>{t('desk.duplicate.applicantText')}</p>
        </>
      )
  }
}

function Actions({ found }: { found: NikCheck }) {
  const { t } = useTranslation()
  const actions = useDuplicateActions()
  if (!actions) return null
  const recordId = found.found === 'here' ? found.recordId : null
  const applicant = found.found === 'registered'
  return (
    <div className="actions actions-start">
      {recordId && actions.open && (
        <button type="button" onClick={() => actions.open?.(recordId)}>
          {t('desk.duplicate.open')}
        </button>
      )}
      {recordId && actions.reprint && (
        <button type="button" onClick={() => actions.reprint?.(recordId)}>
          {t('desk.duplicate.reprint')}
        </button>
      )}
      <button type="button" className="primary" onClick={actions.restart}>
        {applicant ? t('desk.duplicate.applicantDone') : t('desk.duplicate.restart')}
      </button>
    </div>
  )
}
