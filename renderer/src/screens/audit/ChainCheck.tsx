import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../common/contract'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'

type Verdict = ChannelOutput<'audit.verify'>
type Check = { status: 'idle' } | { status: 'checking' } | { status: 'done'; verdict: Verdict } | { status: 'failed'; error: PoskoErrorShape }

/** Walks the whole hash chain on the kiosk and says, in words, whether any row was changed, removed or inserted. */
export function ChainCheck() {
  const { t, i18n } = useTranslation()
  const [check, setCheck] = useState<Check>({ status: 'idle' })
  const verify = async () => {
    setCheck({ status: 'checking' })
    const result = await callPosko((posko) => posko.audit.verify())
    setCheck(result.ok ? { status: 'done', verdict: result.value } : { status: 'failed', error: result.error })
  }
  const reason = (code: string | null) => t(code && i18n.exists(`audit.reason.${code}`) ? `audit.reason.${code}` : 'audit.reason.unknown')
  return (
    <div className="chain-check">
      <button type="button" disabled={check.status === 'checking'} onClick={() => void verify()}>
        {check.status === 'checking' ? t('audit.verifying') : t('audit.verify')}
      </button>
      <p role="status" className={check.status === 'done' ? (check.verdict.ok ? 'verdict verdict-ok' : 'verdict verdict-broken') : 'status-idle'}>
        {check.status === 'done' &&
          (check.verdict.ok
            ? t('audit.intact', { rows: check.verdict.rows })
            : t('audit.broken', { seq: check.verdict.brokenAt ?? '?', reason: reason(check.verdict.reason) }))}
      </p>
      {check.status === 'failed' && <ErrorPanel error={check.error} />}
    </div>
  )
}
