import type { ReactNode } from 'react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhotoVerdict } from '../../../../common/photos'
import type { PhotoRef } from '../../../../common/registration'
import './camera.css'
import { OverrideForm } from './OverrideForm'
import { failureReasons } from './reasons'

function OverrideNote(props: { reason: string | undefined; focus?: boolean }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLParagraphElement>(null)
  // Right after approving, the reason field is gone: focus goes to what replaced it rather than to nowhere.
  useEffect(() => {
    if (props.focus) ref.current?.focus()
  }, [props.focus])
  if (props.reason === undefined) return null
  return (
    <p ref={ref} tabIndex={-1} className="note photo-override-done" role="status">
      {t('photo.override.done', { reason: props.reason })}
    </p>
  )
}

/** Pass, or the reasons it failed: the first thing read, and where focus lands when the verdict arrives. */
function VerdictMessage(props: { verdict: PhotoVerdict; focus: boolean }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (props.focus) ref.current?.focus()
  }, [props.focus])
  if (props.verdict.verdict === 'pass') {
    return (
      <div ref={ref} tabIndex={-1} className="photo-verdict photo-verdict-pass" role="status">
        <p>{t('photo.pass')}</p>
      </div>
    )
  }
  return (
    <div ref={ref} tabIndex={-1} className="photo-verdict photo-verdict-fail" role="alert">
      <p>{t('photo.fail')}</p>
      <ul>
        {failureReasons(props.verdict.checks).map((reason) => (
          <li key={reason}>{t(`photo.reasons.${reason}`)}</li>
        ))}
      </ul>
    </div>
  )
}

/**
 * What the kiosk made of the frame: the processed photo as it will be stored, the verdict, "Ulangi", and for
 * staff (never in self-service) a way to accept a refused photo with a reason.
 */
export function PhotoVerdictView(props: {
  verdict: PhotoVerdict
  value: PhotoRef | null
  canOverride: boolean
  focus: boolean
  onRetake: () => void
  onOverride: (reason: string) => void
  /** Extra actions after "Ulangi" (the step's "on to the KTP photo"). */
  more?: ReactNode
}) {
  const { t } = useTranslation()
  const { verdict, value } = props
  const [overriding, setOverriding] = useState(false)
  const [approved, setApproved] = useState(false)
  const failed = verdict.verdict === 'fail'
  const overridden = value?.overrideReason !== undefined
  // An undecodable frame was not stored: there is nothing to approve.
  const mayOverride = failed && props.canOverride && verdict.sha256 !== null && !overridden

  return (
    <div className={`photo-result photo-result-${verdict.kind}`}>
      {verdict.preview ? (
        <img className="photo-preview" src={verdict.preview} alt={t(`photo.previewAlt.${verdict.kind}`)} />
      ) : (
        <p className="photo-preview photo-preview-none">{t('photo.noPreview')}</p>
      )}
      <div className="photo-result-body">
        <VerdictMessage verdict={verdict} focus={props.focus} />
        <OverrideNote reason={value?.overrideReason} focus={approved} />
        <div className="actions actions-start">
          <button type="button" onClick={props.onRetake}>
            {t('photo.retake')}
          </button>
          {mayOverride && !overriding && (
            <button type="button" onClick={() => setOverriding(true)}>
              {t('photo.override.open')}
            </button>
          )}
          {(!failed || overridden) && props.more}
        </div>
        {mayOverride && overriding && (
          <OverrideForm
            kind={verdict.kind}
            onCancel={() => setOverriding(false)}
            onConfirm={(reason) => {
              setOverriding(false)
              setApproved(true)
              props.onOverride(reason)
            }}
          />
        )}
      </div>
    </div>
  )
}

/** A photo taken on an earlier visit to this step (or stored with a record being fixed): its bytes aren't here. */
export function StoredPhoto(props: { value: PhotoRef; onRetake: () => void; more?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <div className="photo-result-body">
      <div className="photo-verdict photo-verdict-pass" role="status">
        <p>{t('photo.stored')}</p>
      </div>
      <OverrideNote reason={props.value.overrideReason} />
      <div className="actions actions-start">
        <button type="button" onClick={props.onRetake}>
          {t('photo.retake')}
        </button>
        {props.more}
      </div>
    </div>
  )
}
