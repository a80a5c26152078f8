import type { KeyboardEvent } from 'react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhotoKind } from '../../../../common/photos'
import { TextField } from '../Field'

/** The schema's bounds for `PhotoRef.overrideReason` (common/registration.ts). */
const MIN_REASON = 3
const MAX_REASON = 200

/**
 * Staff accept a photo the quality check refused, saying why (the kiosk audits it). It lives inside the
 * registration's <form>, which can't hold another form, so Enter in the reason is caught here rather than
 * letting it move the whole registration on.
 */
export function OverrideForm(props: { kind: PhotoKind; onConfirm: (reason: string) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>(undefined)
  const id = `override-reason-${props.kind}`

  useEffect(() => {
    document.getElementById(id)?.focus()
  }, [id])

  const confirm = () => {
    const trimmed = reason.trim()
    if (trimmed.length < MIN_REASON) {
      setError('photo.override.short')
      document.getElementById(id)?.focus()
      return
    }
    props.onConfirm(trimmed)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
      event.preventDefault()
      event.stopPropagation()
      confirm()
    }
  }

  return (
    <div className="photo-override" role="group" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <h4 id={`${id}-title`}>{t('photo.override.title')}</h4>
      <TextField
        id={id}
        label={t('photo.override.reason')}
        hint={t('photo.override.hint')}
        value={reason}
        maxLength={MAX_REASON}
        error={error}
        onChange={(next) => {
          setReason(next)
          setError(undefined)
        }}
      />
      <div className="actions actions-start">
        <button type="button" className="primary" onClick={confirm}>
          {t('photo.override.confirm')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('photo.override.cancel')}
        </button>
      </div>
    </div>
  )
}
