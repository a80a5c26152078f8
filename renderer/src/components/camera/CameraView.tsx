import { useTranslation } from 'react-i18next'
import type { PhotoKind } from '../../../../common/photos'
import './camera.css'
import type { Camera } from './useCamera'

/**
 * Where to put the face or the card: an oval for the face, an ID-1 card outline (85.6 × 54 mm, the KTP's size)
 * for the card. Decorative, so hidden from screen readers; the written hint says the same.
 */
export function CameraGuide(props: { kind: PhotoKind }) {
  return (
    <div className={`camera-guide camera-guide-${props.kind}`} aria-hidden="true">
      <div className="camera-guide-shape" />
    </div>
  )
}

/** The 3-2-1 over the picture; the spoken count is the capture controls' live region. */
export function CountdownOverlay(props: { left: number | null }) {
  if (props.left === null) return null
  return (
    <div className="camera-countdown" aria-hidden="true">
      {/* A new key per number restarts the pulse animation each second. */}
      <span key={props.left} className="camera-countdown-number">
        {props.left}
      </span>
    </div>
  )
}

function CameraPicker(props: { camera: Camera }) {
  const { t } = useTranslation()
  const { camera } = props
  // One camera needs no choice; the picker would only be another stop on the Tab path.
  if (camera.devices.length < 2) return null
  return (
    <div className="field camera-picker">
      <label htmlFor="camera-device">{t('photo.camera.pick')}</label>
      <select id="camera-device" value={camera.deviceId ?? ''} onChange={(event) => camera.selectDevice(event.target.value)}>
        {camera.devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || t('photo.camera.numbered', { number: index + 1 })}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The live preview with its guide and countdown, the camera picker, and what to do when the camera won't open. */
export function CameraView(props: { kind: PhotoKind; camera: Camera; countdown: number | null }) {
  const { t } = useTranslation()
  const { camera, kind } = props
  if (camera.status.name === 'error') {
    return (
      <>
        {/* Another camera may be the way out, so the picker stays. */}
        <CameraPicker camera={camera} />
        <div className="error-panel camera-error" role="alert">
          <p>{t(`photo.camera.${camera.status.problem}`)}</p>
          <button type="button" onClick={camera.retry}>
            {t('photo.camera.retry')}
          </button>
        </div>
      </>
    )
  }
  return (
    <>
      <CameraPicker camera={camera} />
      <div className={`camera-stage camera-stage-${kind}`}>
        <video ref={camera.attach} className="camera-video" autoPlay muted playsInline aria-label={t(`photo.live.${kind}`)} />
        <CameraGuide kind={kind} />
        <CountdownOverlay left={props.countdown} />
        {camera.status.name === 'starting' && (
          <p className="camera-starting" role="status">
            {t('photo.camera.starting')}
          </p>
        )}
      </div>
    </>
  )
}

/** The kiosk's own camera (main side) has no preview here: the guide and a line on where to look stand in. */
export function MainCameraView(props: { kind: PhotoKind; countdown: number | null }) {
  const { t } = useTranslation()
  return (
    <div className={`camera-stage camera-stage-main camera-stage-${props.kind}`}>
      <CameraGuide kind={props.kind} />
      <p className="camera-main-note">{t(`photo.mainSource.${props.kind}`)}</p>
      <CountdownOverlay left={props.countdown} />
    </div>
  )
}
