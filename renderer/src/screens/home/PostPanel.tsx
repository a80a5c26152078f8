import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { PostOverviewView } from '../../../../common/network'
import { useCall, useEvent } from '../../api'
import { formatTime } from '../../dates'

/** How often the panel asks again: other desks' figures change without an event here (they arrive by the post log). */
const REFRESH_MS = 5_000

/**
 * The post's day on every desk's home screen (issue 21.4): totals today over every desk and each desk of the post
 * with whether it is connected, when it was last seen and its upload queue. A kiosk without a post network (or a
 * self-service one) gets null and shows nothing, not an empty box; so does a failed ask (it is asked again shortly).
 */
export function PostPanel() {
  const [answer, reload] = useCall((posko) => posko.network.post())
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  // This desk's own queue moves with its records: no need to wait for the next round.
  useEvent('queue.changed', useCallback(() => reload(), [reload]))
  if (answer.status !== 'ready' || !answer.value.post) return null
  return <PostOverview post={answer.value.post} />
}

function PostOverview(props: { post: PostOverviewView }) {
  const { t, i18n } = useTranslation()
  const { totals, desks } = props.post
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <section className="card post-panel" aria-labelledby="post-title">
      <h2 id="post-title">{t('postNetwork.title')}</h2>
      <dl className="facts">
        <dt>{t('postNetwork.registered')}</dt>
        <dd data-post="registered">{number.format(totals.registered)}</dd>
        <dt>{t('postNetwork.uploaded')}</dt>
        <dd data-post="uploaded">{number.format(totals.uploaded)}</dd>
        <dt>{t('postNetwork.waiting')}</dt>
        <dd data-post="waiting">{number.format(totals.waiting)}</dd>
      </dl>
      <table className="queue-table desk-table">
        <caption>{t('postNetwork.desks')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('postNetwork.desk')}</th>
            <th scope="col">{t('postNetwork.state')}</th>
            <th scope="col">{t('postNetwork.lastSeen')}</th>
            <th scope="col">{t('postNetwork.queue')}</th>
          </tr>
        </thead>
        <tbody>
          {desks.map((desk) => (
            <tr key={desk.kioskId} data-desk={desk.kioskId}>
              <th scope="row">{desk.name}</th>
              <td className={desk.online ? 'desk-online' : 'desk-offline'}>
                {desk.self ? t('postNetwork.thisDesk') : desk.online ? t('postNetwork.online') : t('postNetwork.offline')}
              </td>
              <td>{desk.self ? '' : desk.lastSeenAt ? formatTime(desk.lastSeenAt, i18n.language) : t('postNetwork.never')}</td>
              <td>{desk.queueDepth === null ? t('postNetwork.notReported') : number.format(desk.queueDepth)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
