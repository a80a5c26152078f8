import { useTranslation } from 'react-i18next'
import type { PhotoSet } from './form'

/**
 * The photo step's contract with the rest of the flow. The camera team replaces this component's body; the flow
 * only relies on these props. `value` holds references to photos the kiosk has already stored (by content hash),
 * never image bytes, so the draft stays small and nothing personal sits in React state.
 */
export interface PhotoStepProps {
  value: PhotoSet
  onChange: (next: PhotoSet) => void
}

/** Placeholder until the camera arrives: says where photos will be taken, and may be skipped. */
export function PhotoStep(props: PhotoStepProps) {
  const { t } = useTranslation()
  const status = (taken: boolean) => (taken ? t('registration.photo.taken') : t('registration.photo.missing'))
  return (
    <>
      <p className="note">{t('registration.photo.note')}</p>
      <p>{t('registration.photo.pending')}</p>
      <dl className="facts">
        <dt>{t('registration.photo.face')}</dt>
        <dd>{status(props.value.face !== null)}</dd>
        <dt>{t('registration.photo.card')}</dt>
        <dd>{status(props.value.card !== null)}</dd>
      </dl>
    </>
  )
}
