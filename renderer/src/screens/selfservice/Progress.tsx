import { useTranslation } from 'react-i18next'

/** "Langkah 3 dari 9" in words, and the same as a bar for whoever doesn't read it. */
export function Progress(props: { current: number; total: number }) {
  const { t } = useTranslation()
  return (
    <div className="ss-progress">
      <p id="ss-progress-text" className="ss-progress-text">
        {t('registration.progress', { current: props.current, total: props.total })}
      </p>
      <progress max={props.total} value={props.current} aria-labelledby="ss-progress-text" />
    </div>
  )
}
