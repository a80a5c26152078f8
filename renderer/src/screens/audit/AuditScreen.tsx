import type { FormEvent } from 'react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppInfo } from '../../../../common/settings'
import type { PoskoErrorShape } from '../../../../common/result'
import { callPosko } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { SelectField } from '../../components/Field'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'
import type { AuditRow } from './auditCsv'
import { auditCsv, auditFileName, downloadText } from './auditCsv'
import { AuditTable } from './AuditTable'
import { ChainCheck } from './ChainCheck'

/** What main's audit log records (main/services/store/audit.ts); a newer action still shows, under its own name. */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_out',
  'sign_in_failed',
  'lockout',
  'register',
  'view',
  'search',
  'edit',
  'photo_override',
  'reprint',
  'call_staff',
  'export',
  'import',
  'purge',
  'settings_change',
  'update_installed',
  'nik_check',
  'mark_duplicate',
  'pair_desk',
  'pair_reject',
  'restore_desk',
  'backup_stick',
  'store_notice',
  'draft_park',
  'draft_resume',
  'draft_expire',
] as const

const PAGE_SIZE = 50

type Rows = { status: 'loading' } | { status: 'ready'; rows: AuditRow[]; more: boolean } | { status: 'error'; error: PoskoErrorShape }

/**
 * The supervisor's view of the hash-chained audit log: newest first, filtered by action, older pages on request,
 * a check that the chain is intact, and the rows on screen exported as CSV.
 */
export function AuditScreen(props: { info: AppInfo }) {
  const { t } = useTranslation()
  const [choice, setChoice] = useState('')
  const [action, setAction] = useState('')
  const [rows, setRows] = useState<Rows>({ status: 'loading' })
  const [exported, setExported] = useState<string | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)

  const load = useCallback(async (filter: string, before: AuditRow[]) => {
    const beforeSeq = before[before.length - 1]?.seq
    const result = await callPosko((posko) => posko.audit.list({ limit: PAGE_SIZE, ...(filter ? { action: filter } : {}), ...(beforeSeq ? { beforeSeq } : {}) }))
    setRows(result.ok ? { status: 'ready', rows: [...before, ...result.value.rows], more: result.value.rows.length === PAGE_SIZE } : { status: 'error', error: result.error })
  }, [])

  useEffect(() => {
    void load(action, [])
  }, [action, load])

  const onFilter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setExported(null)
    if (choice === action) void load(action, [])
    else {
      setRows({ status: 'loading' })
      setAction(choice)
    }
  }

  const exportCsv = (visible: readonly AuditRow[]) => {
    const fileName = auditFileName(props.info.postId, new Date())
    downloadText(fileName, auditCsv(visible), 'text/csv;charset=utf-8')
    setExported(fileName)
  }

  return (
    <div className="audit">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('audit.title')}
      </h1>
      <p>{t('audit.intro')}</p>
      <ChainCheck />
      <form className="card audit-filter" noValidate onSubmit={onFilter}>
        <SelectField
          id="audit-action"
          label={t('audit.filter')}
          value={choice}
          placeholder={t('audit.all')}
          options={AUDIT_ACTIONS.map((value) => ({ value, label: t(`audit.actions.${value}`) }))}
          onChange={setChoice}
        />
        <div className="actions actions-start">
          <button type="submit">{t('audit.show')}</button>
          {rows.status === 'ready' && rows.rows.length > 0 && (
            <button type="button" onClick={() => exportCsv(rows.rows)}>
              {t('audit.export')}
            </button>
          )}
        </div>
        <p className={exported ? 'note' : 'status-idle'} role="status">
          {exported ? t('audit.exported', { file: exported }) : ''}
        </p>
      </form>
      {rows.status === 'loading' && <p role="status">{t('app.loading')}</p>}
      {rows.status === 'error' && <ErrorPanel error={rows.error} onRetry={() => void load(action, [])} />}
      {rows.status === 'ready' && (
        <section className="card" aria-labelledby="audit-rows">
          <h2 id="audit-rows">{rows.rows.length === 0 ? t('audit.empty') : t('audit.shown', { count: rows.rows.length })}</h2>
          {rows.rows.length > 0 && <AuditTable rows={rows.rows} />}
          {rows.more && (
            <div className="actions actions-start">
              <button type="button" onClick={() => void load(action, rows.rows)}>
                {t('audit.more')}
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  )
}
