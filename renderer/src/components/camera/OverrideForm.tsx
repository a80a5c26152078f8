import type { KeyboardEvent } from 'react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhotoKind } from '../../../../common/photos'
import type { OverrideCode } from '../../../../common/registration'
import { OverrideCode as OverrideCodes } from '../../../../common/registration'
import { TextField } from '../Field'

/** The schema's bounds for `PhotoRef.overrideReason` (common/registration.ts). */
const MIN_REASON = 3
const MAX_REASON = 200

export interface Override {
  code: OverrideCode
  /** Words of staff's own: required for "other", optional otherwise. */
  text: string | undefined
}

/**
 * Staff accept a photo the quality check refused, choosing why from a short list (issue 19; the kiosk audits the
 * choice), with words of their own for "Lainnya". It lives inside the registration's <form>, which can't hold
 * another form, so Enter is caught here rather than letting it move the whole registration on.
 */
export function OverrideForm(props: { kind: PhotoKind; onConfirm: (override: Override) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const [code, setCode] = useState<OverrideCode | null>(null)
  const [text, setText] = useState('')
  const [error, setError] = useState<{ field: 'code' | 'text'; key: string } | null>(null)
  const id = `override-reason-${props.kind}`
  const firstOption = `${id}-${OverrideCodes.options[0]}`

  useEffect(() => {
    document.getElementById(firstOption)?.focus()
  }, [firstOption])

  const confirm = () => {
    const trimmed = text.trim()
    if (code === null) {
      setError({ field: 'code', key: 'photo.override.pick' })
      document.getElementById(firstOption)?.focus()
      return
    }
    if ((code === 'other' || trimmed !== '') && trimmed.length < MIN_REASON) {
      setError({ field: 'text', key: 'photo.override.short' })
      document.getElementById(`${id}-text`)?.focus()
      return
    }
    props.onConfirm({ code, text: trimmed === '' ? undefined : trimmed })
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
      <fieldset className="photo-override-codes" aria-describedby={error?.field === 'code' ? `${id}-code-error` : undefined}>
        <legend>{t('photo.override.reason')}</legend>
        {OverrideCodes.options.map((option) => (
          <label key={option} className="choice">
            <input
              type="radio"
              id={`${id}-${option}`}
              name={id}
              value={option}
              checked={code === option}
              onChange={() => {
                setCode(option)
                setError(null)
              }}
            />
            {t(`photo.override.codes.${option}`)}
          </label>
        ))}
        {error?.field === 'code' && (
          <p id={`${id}-code-error`} className="field-error" role="alert">
            {t(error.key)}
          </p>
        )}
      </fieldset>
      <TextField
        id={`${id}-text`}
        label={t(code === 'other' ? 'photo.override.textRequired' : 'photo.override.text')}
        hint={t('photo.override.hint')}
        value={text}
        maxLength={MAX_REASON}
        error={error?.field === 'text' ? error.key : undefined}
        onChange={(next) => {
          setText(next)
          setError(null)
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
