import { useCallback, useEffect, useRef, useState } from 'react'
import type { KtpReading } from '../../../../../common/ktp'
import { scanComplete } from '../../../../../common/ktp'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko } from '../../../api'
import { grabJpegBase64 } from '../../../components/camera/grabFrame'
import type { Camera } from '../../../components/camera/useCamera'

export type ScanState =
  | { name: 'waiting' }
  | { name: 'looking' }
  | { name: 'reading'; reading: KtpReading }
  | { name: 'done'; reading: KtpReading }
  | { name: 'unavailable' }
  | { name: 'failed'; error: PoskoErrorShape }

/** A pause between frames: the reader's worker shares two cores with the kiosk and the camera. */
const BREATHE_MS = 250

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function newSession(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `scan-${Date.now()}-${Math.floor(Math.random() * 1e9)}`
}

/**
 * Reads the KTP from the live preview (issue 20.1): frames go to the kiosk's reader one after another (never two
 * at once, the reader is one worker) while the camera is live, until the read is complete. `onDone` gets the voted
 * reading and the last frame that showed the card, which becomes the record's KTP photo.
 */
export function useKtpScan(camera: Camera, active: boolean, onDone: (reading: KtpReading, frame: string) => void): { state: ScanState; again: () => void } {
  const [state, setState] = useState<ScanState>({ name: 'waiting' })
  const [attempt, setAttempt] = useState(0)
  const done = useRef(onDone)
  done.current = onDone
  const live = camera.status.name === 'live'
  const { video } = camera

  useEffect(() => {
    if (!active || !live) return
    let running = true
    const session = newSession()
    let cardFrame: string | null = null
    setState({ name: 'looking' })
    const run = async () => {
      while (running) {
        const element = video()
        const frame = element ? await grabJpegBase64(element).catch(() => null) : null
        if (!running) return
        if (frame === null) {
          await sleep(BREATHE_MS)
          continue
        }
        const result = await callPosko((posko) => posko.ktp.read({ jpegBase64: frame, session }))
        if (!running) return
        if (!result.ok) return setState(result.error.code === 'unavailable' ? { name: 'unavailable' } : { name: 'failed', error: result.error })
        const reading = result.value
        if (reading.cardFound) cardFrame = frame
        if (scanComplete(reading) && cardFrame !== null) {
          setState({ name: 'done', reading })
          return done.current(reading, cardFrame)
        }
        setState(reading.cardFound ? { name: 'reading', reading } : { name: 'looking' })
        await sleep(BREATHE_MS)
      }
    }
    void run()
    return () => {
      running = false
    }
  }, [active, live, video, attempt])

  const again = useCallback(() => {
    setState({ name: 'waiting' })
    setAttempt((n) => n + 1)
  }, [])
  return { state, again }
}
