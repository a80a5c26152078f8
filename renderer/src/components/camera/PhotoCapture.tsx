import type { RefObject } from 'react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhotoKind, PhotoVerdict } from '../../../../common/photos'
import type { PoskoErrorShape, Result } from '../../../../common/result'
import { callPosko } from '../../api'
import { ErrorPanel } from '../ErrorPanel'
import { reasonKey } from '../job/reasonKey'
import { CameraView, MainCameraView } from './CameraView'
import { grabJpegBase64 } from './grabFrame'
import type { Camera } from './useCamera'
import { useShutterCountdown } from './useShutterCountdown'
import { useIdleHold } from '../idle/idleHold'

export type CameraSource = 'renderer' | 'main'

const COUNTDOWN_SECONDS = 3

type Trouble = { kind: 'grab' } | { kind: 'call'; error: PoskoErrorShape }

/** Photo refusals staff can act on (main/services/photos/sharp-loader.ts: PHOTO_ENGINE_MISSING). */
const PHOTO_REASONS = { photo_engine_missing: 'photo.engineMissing' } as const

/** Keys typed into a control keep their own meaning there: Space ticks, presses, or types a space. */
function isControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, input, select, textarea, a[href], [contenteditable="true"], [role="button"]') !== null
}

/**
 * Space starts the countdown while focus is anywhere in the step that is not a control (its heading has focus
 * when the step opens); Escape stops it. Listened for on the document because the step's heading sits outside
 * this component, in the flow's own section.
 */
function useCaptureKeys(root: RefObject<HTMLElement | null>, enabled: boolean, counting: boolean, start: () => void, cancel: () => void) {
  useEffect(() => {
    if (!enabled) return
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return
      const scope = root.current?.closest('section.step') ?? root.current
      const target = event.target
      const inStep = target === document.body || (target instanceof Node && scope?.contains(target) === true)
      if (!inStep) return
      if (event.key === 'Escape' && counting) {
        event.preventDefault()
        cancel()
      } else if (event.key === ' ' && !counting && !isControl(target)) {
        event.preventDefault()
        start()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [root, enabled, counting, start, cancel])
}

/**
 * Takes one photo of one kind: the preview (or the kiosk camera's stand-in), "Ambil foto" with a 3-second
 * countdown, then the kiosk's quality check. The verdict goes up; what to do with it is the step's business.
 */
export function PhotoCapture(props: {
  kind: PhotoKind
  source: CameraSource
  camera: Camera
  focusButton: boolean
  onBusy: (busy: boolean) => void
  /** A touch kiosk: hints name what to touch, not keys (no "Spasi"/"Esc"). */
  touch?: boolean
  onVerdict: (verdict: PhotoVerdict) => void
}) {
  const { t } = useTranslation()
  const { kind, source, camera, onBusy, onVerdict } = props
  const [processing, setProcessing] = useState(false)
  const [trouble, setTrouble] = useState<Trouble | null>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  const shoot = useCallback(async () => {
    setTrouble(null)
    setProcessing(true)
    onBusy(true)
    let result: Result<PhotoVerdict> | null = null
    if (source === 'main') {
      result = await callPosko((posko) => posko.photo.capture({ kind }))
    } else {
      const video = camera.video()
      const jpegBase64 = video ? await grabJpegBase64(video).catch(() => null) : null
      if (jpegBase64 !== null) result = await callPosko((posko) => posko.photo.process({ kind, jpegBase64 }))
    }
    onBusy(false)
    // Nothing to show once the step has moved on; the stored frame is purged as an orphan later.
    if (!mounted.current) return
    setProcessing(false)
    if (result === null) return setTrouble({ kind: 'grab' })
    if (!result.ok) return setTrouble({ kind: 'call', error: result.error })
    onVerdict(result.value)
  }, [camera, kind, source, onBusy, onVerdict])

  const countdown = useShutterCountdown(COUNTDOWN_SECONDS, () => void shoot())
  const ready = (source === 'main' || camera.status.name === 'live') && !processing
  const counting = countdown.left !== null
  useCaptureKeys(rootRef, ready, counting, countdown.start, countdown.cancel)
  // The applicant holds still for the countdown and the check: that is not leaving the kiosk.
  useIdleHold(counting || processing)

  useEffect(() => {
    if (props.focusButton) buttonRef.current?.focus()
  }, [props.focusButton])

  return (
    <div className="photo-capture" ref={rootRef}>
      {source === 'main' ? (
        <MainCameraView kind={kind} countdown={countdown.left} />
      ) : (
        <CameraView kind={kind} camera={camera} countdown={countdown.left} />
      )}
      {trouble?.kind === 'grab' && (
        <div className="error-panel" role="alert">
          <p>{t('photo.grabFailed')}</p>
        </div>
      )}
      {trouble?.kind === 'call' &&
        (reasonKey(trouble.error, PHOTO_REASONS, '') ? (
          <div className="error-panel" role="alert">
            <p>{t(reasonKey(trouble.error, PHOTO_REASONS))}</p>
          </div>
        ) : (
          <ErrorPanel error={trouble.error} />
        ))}
      <div className="capture-controls">
        {/* aria-disabled, not disabled: a disabled button drops focus, and "Ulangi" hands focus here while the
            camera is still starting. */}
        <button
          ref={buttonRef}
          type="button"
          className="camera-shoot"
          aria-disabled={!ready}
          aria-describedby={`capture-hint-${kind}`}
          onClick={counting ? countdown.cancel : ready ? countdown.start : undefined}
        >
          {counting ? t('photo.cancel') : t('photo.take')}
        </button>
        <p id={`capture-hint-${kind}`} className="field-hint">
          {t(props.touch ? 'photo.takeHintTouch' : 'photo.takeHint')}
        </p>
      </div>
      {/* Always rendered, so the first number is announced too: a live region only speaks about changes. */}
      <p className="capture-status" aria-live="assertive" aria-atomic="true">
        {counting ? t('photo.countdown', { seconds: countdown.left }) : processing ? t('photo.processing') : ''}
      </p>
    </div>
  )
}
