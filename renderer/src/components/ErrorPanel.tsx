import { useTranslation } from 'react-i18next'
import type { PoskoErrorShape } from '../../../common/result'

/** A typed error in the user's language, with a way forward. The English `message` is for logs only. */
/** Refusals whose reason says more than their code (errors.reason.<reason>), else the code's own words. */
const REASONS = new Set(['awaiting_central', 'key_unprotected', 'disk_full'])

function messageKey(error: PoskoErrorShape): string {
  const reason = error.details?.reason
  return typeof reason === 'string' && REASONS.has(reason) ? `errors.reason.${reason}` : `errors.${error.code}`
}

export function ErrorPanel(props: { error: PoskoErrorShape; onRetry?: () => void }) {
  const { t } = useTranslation()
  const bridgeMissing = props.error.code === 'unavailable' && props.error.message.includes('window.posko')
  return (
    <div className="error-panel" role="alert">
      <p>{bridgeMissing ? t('errors.bridge') : t(messageKey(props.error))}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  )
}
