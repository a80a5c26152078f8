import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PoskoErrorShape } from '../../../../../common/result'
import { callPosko, useCall } from '../../../api'
import { ErrorPanel } from '../../../components/ErrorPanel'
import { formatTime } from '../../../dates'
import { emptyForm } from '../form'
import type { RegistrationForm } from '../form'
import type { ResumedForm } from './draftGuard'
import './desk.css'

/**
 * The home screen's parked drafts (issue 19.2): "Draf 3 · diparkir 10:42 · langkah Alamat", nothing personal, each
 * with "Lanjutkan". Resuming takes the draft out of the store and opens the registration where it stopped.
 */
export function ParkedDrafts(props: { onResume: (draft: ResumedForm) => void; notice?: string | null }) {
  const { t, i18n } = useTranslation()
  const [list, reload] = useCall((posko) => posko.drafts.list())
  const [error, setError] = useState<PoskoErrorShape | null>(null)
  const [busy, setBusy] = useState(false)
  if (list.status === 'ready' && list.value.drafts.length === 0 && !props.notice) return null

  const resume = async (id: string) => {
    setBusy(true)
    const result = await callPosko((posko) => posko.drafts.resume({ id }))
    setBusy(false)
    if (!result.ok) {
      setError(result.error)
      return reload()
    }
    // What was parked is the form as typed; anything missing (an older draft) starts empty rather than undefined.
    props.onResume({ form: { ...emptyForm(), ...(result.value.form as Partial<RegistrationForm>) }, step: result.value.step })
  }

  return (
    <section className="card parked-drafts" aria-labelledby="parked-title">
      <h2 id="parked-title">{t('desk.parked.title')}</h2>
      {props.notice && <p role="status">{props.notice}</p>}
      <p className="muted">{t('desk.parked.intro')}</p>
      {error && <ErrorPanel error={error} />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ready' && (
        <ul>
          {list.value.drafts.map((draft) => (
            <li key={draft.id}>
              <span>
                {t('desk.parked.item', { number: draft.number, time: formatTime(draft.parkedAt, i18n.language), step: t(`registration.steps.${draft.step}`) })}
                {draft.photos > 0 && ` · ${t('desk.parked.photos', { count: draft.photos })}`}
              </span>
              <button type="button" className="primary" disabled={busy} aria-label={t('desk.parked.resumeLabel', { number: draft.number })} onClick={() => void resume(draft.id)}>
                {t('desk.parked.resume')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
