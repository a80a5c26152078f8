import { useTranslation } from 'react-i18next'

/** The end of a fix: the record is back in the upload queue; staff return to the list for the next one. */
export function EditDoneStep(props: { receiptNo: string; onDone: () => void }) {
  const { t } = useTranslation()
  return (
    <>
      <p className="receipt-done" role="status">
        {t('registration.edit.done', { receiptNo: props.receiptNo })}
      </p>
      <div className="actions actions-start">
        <button type="button" className="primary" onClick={props.onDone}>
          {t('registration.edit.back')}
        </button>
      </div>
    </>
  )
}
