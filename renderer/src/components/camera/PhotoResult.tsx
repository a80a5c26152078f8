import type { ReactNode } from 'react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhotoVerdict } from '../../../../common/photos'
import type { PhotoRef } from '../../../../common/registration'
import { isOverridden } from '../../../../common/registration'
import './camera.css'
import type { Override } from './OverrideForm'
import { OverrideForm } from './OverrideForm'
import { CallStaff } from './CallStaff'
import { failureReasons } from './reasons'

/** "Kartu usang: tulisan pudar" — the chosen reason and the words staff added, as the review and the record show it. */
export function useOverrideText(): (value: PhotoRef | null | undefined) => string | null {
  const { t } = useTranslation()
  return (value) => {
    if (!isOverridden(value)) return null
    const label = value?.overrideCode ? t(`photo.override.codes.${value.overrideCode}`) : null
    return [label, value?.overrideReason].filter(Boolean).join(': ')
  }
}

function OverrideNote(props: { value: PhotoRef | null | undefined; focus?: boolean }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLParagraphElement>(null)
  const reason = useOverrideText()(props.value)
  // Right after approving, the reason field is gone: focus goes to what replaced it rather than to nowhere.
  useEffect(() => {
    if (props.focus) ref.current?.focus()
  }, [props.focus])
  if (reason === null) return null
  return (
    <p ref={ref} tabIndex={-1} className="note photo-override-done" role="status">
      {t('photo.override.done', { reason })}
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
  onOverride: (override: Override) => void
  /** Extra actions after "Ulangi" (the step's "on to the KTP photo"). */
  more?: ReactNode
}) {
  const { t } = useTranslation()
  const { verdict, value } = props
  const [overriding, setOverriding] = useState(false)
  const [approved, setApproved] = useState(false)
  const failed = verdict.verdict === 'fail'
  const overridden = isOverridden(value)
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
        <OverrideNote value={value} focus={approved} />
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
        {/* An applicant can't approve a refused photo; after a retake or two they can ask for a person instead. */}
        {failed && !props.canOverride && <CallStaff />}
        {mayOverride && overriding && (
          <OverrideForm
            kind={verdict.kind}
            onCancel={() => setOverriding(false)}
            onConfirm={(override) => {
              setOverriding(false)
              setApproved(true)
              props.onOverride(override)
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
      <OverrideNote value={props.value} />
      <div className="actions actions-start">
        <button type="button" onClick={props.onRetake}>
          {t('photo.retake')}
        </button>
        {props.more}
      </div>
    </div>
  )
}
