import { useTranslation } from 'react-i18next'
import type { PoskoErrorShape } from '../../../common/result'

/** A typed error in the user's language, with a way forward. The English `message` is for logs only. */
export function ErrorPanel(props: { error: PoskoErrorShape; onRetry?: () => void }) {
  const { t } = useTranslation()
  const bridgeMissing = props.error.code === 'unavailable' && props.error.message.includes('window.posko')
  return (
    <div className="error-panel" role="alert">
      <p>{bridgeMissing ? t('errors.bridge') : t(`errors.${props.error.code}`)}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  )
}
