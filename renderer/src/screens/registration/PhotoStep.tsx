import type { RefObject } from 'react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhotoKind, PhotoVerdict } from '../../../../common/photos'
import type { AppInfo } from '../../../../common/settings'
import { useCall, useEvent } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import type { CameraSource } from '../../components/camera/PhotoCapture'
import { PhotoCapture } from '../../components/camera/PhotoCapture'
import { PhotoVerdictView, StoredPhoto } from '../../components/camera/PhotoResult'
import type { Override } from '../../components/camera/OverrideForm'
import { isOverridden } from '../../../../common/registration'
import { useCamera } from '../../components/camera/useCamera'
import type { PhotoSet } from './form'
import type { StepCheck } from './stepProps'
import type { FieldErrors } from '../../components/fieldErrors'
import { fieldId } from '../../components/fieldBinding'

/**
 * The photo step's contract with the rest of the flow. `value` holds references to photos the kiosk has already
 * stored (by content hash), never image bytes, so the draft stays small and nothing personal sits in the form.
 */
export interface PhotoStepProps {
  value: PhotoSet
  onChange: (next: PhotoSet) => void
  /** The flow's errors; this step shows the ones under `photos.*`. */
  errors?: FieldErrors
  /** Filled while the step is shown: the flow runs it before moving on (see `problems` below). */
  check?: RefObject<StepCheck | null>
}

const KINDS = ['face', 'card'] as const satisfies readonly PhotoKind[]

type Verdicts = Readonly<Record<PhotoKind, PhotoVerdict | null>>
type FocusRequest = 'heading' | 'result' | 'shoot' | null

const pathOf = (kind: PhotoKind) => `photos.${kind}`

/** Which part opens first: the one an error points at (a refused submit sends people back here), else the face. */
function firstKind(errors: FieldErrors): PhotoKind {
  return errors[pathOf('card')] && !errors[pathOf('face')] ? 'card' : 'face'
}

/**
 * Two parts, face then KTP, each: aim, "Ambil foto", the kiosk's verdict, retake or (staff only) approve with a
 * reason. The camera runs only while a part is waiting for its picture.
 */
export function PhotoStep(props: PhotoStepProps) {
  const { t } = useTranslation()
  const { value, onChange } = props
  const errors = props.errors ?? {}
  // The flow doesn't pass the kiosk's settings down; this step is the only one that needs them.
  const [info, reloadInfo, setInfo] = useCall((posko) => posko.app.info())
  useEvent(
    'settings.changed',
    useCallback((next: AppInfo) => setInfo(next), [setInfo]),
  )
  const settings = info.status === 'ready' ? info.value : null
  const [kind, setKind] = useState<PhotoKind>(() => firstKind(errors))
  const [verdicts, setVerdicts] = useState<Verdicts>({ face: null, card: null })
  const [busy, setBusy] = useState(false)
  const [focus, setFocus] = useState<FocusRequest>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)

  const source: CameraSource | null = settings?.cameraSource ?? null
  const waiting = verdicts[kind] === null && value[kind] === null
  const camera = useCamera(source === 'renderer' && waiting)

  // A verdict can arrive after other edits were made; it must change only its own slot of the latest value.
  const latest = useRef(value)
  useEffect(() => {
    latest.current = value
  }, [value])
  const setSlot = useCallback((slot: PhotoKind, ref: PhotoSet[PhotoKind]) => onChange({ ...latest.current, [slot]: ref }), [onChange])

  const onVerdict = useCallback(
    (verdict: PhotoVerdict) => {
      setVerdicts((current) => ({ ...current, [verdict.kind]: verdict }))
      setFocus('result')
      if (verdict.verdict === 'pass' && verdict.sha256 !== null) setSlot(verdict.kind, { sha256: verdict.sha256 })
    },
    [setSlot],
  )

  const retake = (slot: PhotoKind) => {
    setVerdicts((current) => ({ ...current, [slot]: null }))
    if (value[slot] !== null) setSlot(slot, null)
    setFocus('shoot')
  }

  const approve = (slot: PhotoKind, override: Override) => {
    const sha256 = verdicts[slot]?.sha256
    if (sha256) setSlot(slot, { sha256, overrideCode: override.code, ...(override.text ? { overrideReason: override.text } : {}) })
  }

  const show = (slot: PhotoKind) => {
    setKind(slot)
    setFocus('heading')
  }

  /**
   * What the draft schema can't know: this kiosk's requirePhotos, a refused photo nobody dealt with yet (it
   * blocks even where photos are optional: retake it, approve it, or retake and skip), and a check still running.
   */
  const problems = (): FieldErrors => {
    const found: Record<string, string> = {}
    for (const slot of KINDS) {
      if (busy && slot === kind) found[pathOf(slot)] = 'validation.photo_processing'
      else if (verdicts[slot]?.verdict === 'fail' && value[slot] === null) {
        found[pathOf(slot)] = settings?.mode === 'self-service' ? 'validation.photo_override_not_allowed' : 'validation.photo_failed'
      } else if (settings?.requirePhotos && value[slot] === null) found[pathOf(slot)] = 'validation.photo_required'
    }
    const first = KINDS.find((slot) => found[pathOf(slot)])
    if (first) setKind(first)
    return found
  }
  const latestProblems = useRef(problems)
  useEffect(() => {
    latestProblems.current = problems
  })
  useEffect(() => {
    const slot = props.check
    if (!slot) return
    slot.current = () => latestProblems.current()
    return () => {
      slot.current = null
    }
  }, [props.check])

  // Children apply "result" and "shoot" in their own mount effects, which run before this one clears the request.
  useEffect(() => {
    if (focus === 'heading') headingRef.current?.focus()
    if (focus !== null) setFocus(null)
  }, [focus])

  const error = errors[pathOf(kind)]
  const verdict = verdicts[kind]
  const stored = value[kind]
  const toCard =
    kind === 'face' ? (
      <button type="button" className="primary" onClick={() => show('card')}>
        {t('photo.toCard')}
      </button>
    ) : undefined

  return (
    // Beside the camera rather than above it, so preview, shutter and countdown are one view at 1366×768 (issue 19).
    <div className="photo-step">
      <div className="photo-step-side">
        <p className="note">
          {t('photo.intro')} {settings && !settings.requirePhotos && t('photo.optional')}
        </p>
        <PhotoParts current={kind} value={value} verdicts={verdicts} busy={busy} onShow={show} />
      </div>
      <section className="photo-part" aria-labelledby={fieldId(pathOf(kind))}>
        <h3 id={fieldId(pathOf(kind))} ref={headingRef} tabIndex={-1}>
          {t(`photo.${kind}`)}
        </h3>
        <p className="field-hint">{t(`photo.hint.${kind}`)}</p>
        {error && (
          <p className="field-error" role="alert">
            {t(error)}
          </p>
        )}
        {info.status === 'loading' && <p role="status">{t('app.loading')}</p>}
        {info.status === 'error' && <ErrorPanel error={info.error} onRetry={reloadInfo} />}
        {settings && verdict && (
          <PhotoVerdictView
            key={kind}
            verdict={verdict}
            value={stored}
            canOverride={settings.mode === 'assisted'}
            focus={focus === 'result'}
            onRetake={() => retake(kind)}
            onOverride={(override) => approve(kind, override)}
            more={toCard}
          />
        )}
        {settings && !verdict && stored && <StoredPhoto value={stored} onRetake={() => retake(kind)} more={toCard} />}
        {settings && source && waiting && (
          <PhotoCapture
            key={kind}
            kind={kind}
            source={source}
            camera={camera}
            focusButton={focus === 'shoot'}
            onBusy={setBusy}
            onVerdict={onVerdict}
            touch={settings.mode === 'self-service' || touchOnly()}
          />
        )}
      </section>
    </div>
  )
}

/** Face, then KTP: where each stands, and a way to either (staff may take the KTP first). */
function PhotoParts(props: { current: PhotoKind; value: PhotoSet; verdicts: Verdicts; busy: boolean; onShow: (kind: PhotoKind) => void }) {
  const { t } = useTranslation()
  const state = (slot: PhotoKind) => {
    const ref = props.value[slot]
    if (isOverridden(ref)) return t('photo.state.approved')
    if (ref) return t('photo.state.taken')
    if (props.verdicts[slot]?.verdict === 'fail') return t('photo.state.failed')
    return t('photo.state.missing')
  }
  return (
    <ol className="photo-parts" aria-label={t('photo.parts')}>
      {KINDS.map((slot, index) => (
        <li key={slot}>
          {/* Not while a photo is being checked: its verdict belongs to the part that took it. */}
          <button type="button" aria-current={slot === props.current ? 'step' : undefined} disabled={props.busy} onClick={() => props.onShow(slot)}>
            <span className="photo-parts-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="photo-parts-title">{t(`photo.${slot}`)}</span>{' '}
            <span className="photo-parts-state">{state(slot)}</span>
          </button>
        </li>
      ))}
    </ol>
  )
}

/** A screen with no mouse or trackpad at all (a touch-only desk kiosk): hints name what to touch. */
function touchOnly(): boolean {
  return typeof window.matchMedia === 'function' && !window.matchMedia('(any-pointer: fine)').matches
}
