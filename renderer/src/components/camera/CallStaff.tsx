import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { callPosko } from '../../api'

/**
 * Two short beeps through Web Audio: heard by staff nearby without any sound file to ship. A kiosk whose audio is
 * blocked or absent simply stays silent; the banner is the signal that always shows.
 */
export function playCallTone(): void {
  const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
  if (!Context) return
  try {
    const audio = new Context()
    for (const [start, frequency] of [
      [0, 880],
      [0.3, 660],
    ] as const) {
      const tone = audio.createOscillator()
      const gain = audio.createGain()
      tone.frequency.value = frequency
      gain.gain.value = 0.2
      tone.connect(gain).connect(audio.destination)
      tone.start(audio.currentTime + start)
      tone.stop(audio.currentTime + start + 0.2)
    }
    window.setTimeout(() => void audio.close().catch(() => undefined), 1000)
  } catch {
    // No audio device: the banner still says staff were called.
  }
}

/**
 * "Panggil petugas" (issue 19 point 7): an applicant whose photo the check keeps refusing asks for help instead of
 * retaking forever. A banner and a tone at the kiosk; main audits the call and announces it (`staff.called`) for
 * the staff desks.
 */
export function CallStaff() {
  const { t } = useTranslation()
  const [state, setState] = useState<'idle' | 'calling' | 'called' | 'failed'>('idle')
  const call = async () => {
    setState('calling')
    playCallTone()
    const result = await callPosko((posko) => posko.staff.call({ reason: 'photo' }))
    setState(result.ok ? 'called' : 'failed')
  }
  return (
    <div className="call-staff">
      {state !== 'called' && (
        <button type="button" className="call-staff-button" disabled={state === 'calling'} onClick={() => void call()}>
          {t('photo.callStaff.button')}
        </button>
      )}
      <p className={state === 'called' || state === 'failed' ? 'call-staff-banner' : 'status-idle'} role="status">
        {state === 'called' && t('photo.callStaff.called')}
        {state === 'failed' && t('photo.callStaff.failed')}
      </p>
    </div>
  )
}
