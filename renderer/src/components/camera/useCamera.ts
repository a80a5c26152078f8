import { useCallback, useEffect, useRef, useState } from 'react'

/** Why the camera could not be opened, in the terms the person in front of the kiosk can act on. */
export type CameraProblem = 'not_found' | 'denied' | 'busy' | 'unknown'

export type CameraStatus = { name: 'off' } | { name: 'starting' } | { name: 'live' } | { name: 'error'; problem: CameraProblem }

export interface CameraDevice {
  deviceId: string
  label: string
}

export interface Camera {
  status: CameraStatus
  /** Every video input, once the browser lists them (labels appear only after permission). */
  devices: readonly CameraDevice[]
  /** The device showing (or picked by staff), or null before the first one opened. */
  deviceId: string | null
  selectDevice: (deviceId: string) => void
  retry: () => void
  /** Callback ref for the preview <video>: the stream attaches whenever both exist, in either order. */
  attach: (video: HTMLVideoElement | null) => void
  /** The preview element, for grabbing a frame. */
  video: () => HTMLVideoElement | null
}

/** The frame size the photo pipeline wants; an ideal, not a demand, so a 640×480 webcam still opens. */
const IDEAL = { width: 1280, height: 720 } as const

/** Maps getUserMedia's DOMException names (W3C Media Capture) onto what the kiosk can tell the person. */
export function cameraProblem(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : ''
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not_found'
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied'
    case 'NotReadableError':
    case 'AbortError':
      return 'busy'
    default:
      return 'unknown'
  }
}

function openStream(deviceId: string | null): Promise<MediaStream> {
  // Outside a secure context there is no mediaDevices at all: to the person that is "no camera".
  if (!navigator.mediaDevices?.getUserMedia) return Promise.reject(new DOMException('mediaDevices unavailable', 'NotFoundError'))
  const video: MediaTrackConstraints = deviceId ? { ...IDEAL, deviceId: { exact: deviceId } } : { ...IDEAL }
  return navigator.mediaDevices.getUserMedia({ video, audio: false })
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop()
}

async function listCameras(): Promise<CameraDevice[]> {
  const all = await navigator.mediaDevices.enumerateDevices()
  return all.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label }))
}

/**
 * The renderer's webcam while `active`: opens it, lists the cameras, and stops every track as soon as it is no
 * longer wanted (inactive, another device picked, or unmounted), so the camera light never stays on behind a
 * verdict or another screen.
 */
export function useCamera(active: boolean): Camera {
  const [status, setStatus] = useState<CameraStatus>({ name: 'off' })
  const [stream, setStream] = useState<MediaStream | null>(null)
  const [devices, setDevices] = useState<readonly CameraDevice[]>([])
  const [deviceId, setDeviceId] = useState<string | null>(null)
  // The browser's default camera has an id only once it is open; the picker shows that one as chosen.
  const [openedId, setOpenedId] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const videoRef = useRef<HTMLVideoElement | null>(null)

  useEffect(() => {
    if (!active) {
      setStatus({ name: 'off' })
      return
    }
    let live = true
    let opened: MediaStream | null = null
    setStatus({ name: 'starting' })
    openStream(deviceId).then(
      (next) => {
        // The step may have moved on while the browser was opening the camera.
        if (!live) return stopStream(next)
        opened = next
        setStream(next)
        setOpenedId(next.getVideoTracks()[0]?.getSettings().deviceId ?? null)
        setStatus({ name: 'live' })
        listCameras().then(
          (found) => {
            if (live) setDevices(found)
          },
          () => undefined,
        )
      },
      (error: unknown) => {
        if (live) setStatus({ name: 'error', problem: cameraProblem(error) })
      },
    )
    return () => {
      live = false
      if (opened) stopStream(opened)
      setStream(null)
    }
  }, [active, deviceId, attempt])

  // A camera plugged in or out changes the picker without a restart.
  useEffect(() => {
    const media = navigator.mediaDevices
    if (!active || !media?.addEventListener) return
    const refresh = () => void listCameras().then(setDevices, () => undefined)
    media.addEventListener('devicechange', refresh)
    return () => media.removeEventListener('devicechange', refresh)
  }, [active])

  const attach = useCallback(
    (video: HTMLVideoElement | null) => {
      videoRef.current = video
      if (video && video.srcObject !== stream) video.srcObject = stream
    },
    [stream],
  )

  return {
    status,
    devices,
    deviceId: deviceId ?? openedId,
    selectDevice: useCallback((id: string) => setDeviceId(id || null), []),
    retry: useCallback(() => setAttempt((n) => n + 1), []),
    attach,
    video: useCallback(() => videoRef.current, []),
  }
}
