import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EventPayload } from '../../../../common/contract'
import type { RestoreDeskResult, StickDesk } from '../../../../common/backup'
import { callPosko, useCall, useEvent } from '../../api'
import { ChoiceField, TextField } from '../../components/Field'
import { DriveOptions, TYPED, TypedPath, useDriveChoice } from '../../components/drives/DriveOptions'
import { JobCard } from '../../components/job/JobCard'
import { reasonKey } from '../../components/job/reasonKey'
import { useJob } from '../../components/job/useJob'

const KIOSK_ID = /^[A-Za-z0-9_-]{1,64}$/

const REASONS = {
  no_peers: 'backup.restore.reason.no_peers',
  no_backup: 'backup.restore.reason.no_backup',
  busy: 'backup.restore.reason.busy',
  not_enrolled: 'backup.restore.reason.not_enrolled',
  network: 'backup.restore.reason.network',
  timeout: 'backup.restore.reason.timeout',
  token_refused: 'backup.restore.reason.token_refused',
} as const

type Source = 'peers' | 'stick'

/**
 * Restoring an old desk (issue 22.4) on a desk reinstalled and enrolled again: from the post's other desks (by the
 * old desk's kiosk id) or from a backup stick (the desks whose backups it holds are listed from the stick). The
 * bundles go to central as they are; the card shows how far it got and what central did with them.
 */
export function RestoreCard() {
  const { t, i18n } = useTranslation()
  const number = new Intl.NumberFormat(i18n.language)
  const [source, setSource] = useState<Source>('peers')
  const [typedId, setTypedId] = useState('')
  // The post's other desks on central's roster (a dead desk stays there until IT revokes it), or an id typed by hand.
  const [post] = useCall((posko) => posko.network.post())
  const others = post.status === 'ready' && post.value.post ? post.value.post.desks.filter((d) => !d.self) : []
  const [pickedDesk, setPickedDesk] = useState<string>(TYPED)
  useEffect(() => {
    // The desk that is not connected is the likely one to restore: chosen first.
    const first = [...others].sort((a, b) => Number(a.online) - Number(b.online))[0]
    if (first) setPickedDesk(first.kioskId)
    // Once, when the roster arrives.
  }, [others.length])
  const [idError, setIdError] = useState<string | undefined>()
  const [drive, setDrive] = useState('')
  const [desks, setDesks] = useState<StickDesk[] | null>(null)
  const [desk, setDesk] = useState('')
  const { job, run } = useJob<RestoreDeskResult>()
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  useEvent(
    'backup.progress',
    useCallback((event: EventPayload<'backup.progress'>) => setProgress(event), []),
  )
  const picker = useDriveChoice('read', (choice, typed) => {
    setDrive(choice === TYPED ? typed.trim() : choice)
    setIdError(undefined)
  })
  const driveLabel = picker.drives.status === 'ready' ? (picker.drives.value.drives.find((d) => d.path === drive)?.label ?? drive) : drive

  // The desks a chosen stick holds backups of, read again when another stick is chosen.
  useEffect(() => {
    setDesks(null)
    setDesk('')
    if (source !== 'stick' || !drive) return
    let live = true
    void callPosko((posko) => posko.backup.stickDesks({ directory: drive })).then((result) => {
      if (!live) return
      const found = result.ok ? result.value.desks.filter((d) => !d.thisDesk) : []
      setDesks(found)
      if (found.length > 0) setDesk(found[0]!.kioskId)
    })
    return () => {
      live = false
    }
  }, [source, drive])

  const onSubmit = () => {
    setProgress(null)
    if (source === 'peers') {
      const kioskId = pickedDesk === TYPED ? typedId.trim() : pickedDesk
      if (!KIOSK_ID.test(kioskId)) {
        setIdError('validation.required')
        document.getElementById('restore-kiosk-id')?.focus()
        return
      }
      void run((posko) => posko.backup.restore({ kioskId }))
      return
    }
    if (!drive || !desk) {
      setIdError('validation.required')
      return
    }
    void run((posko) => posko.backup.restoreFromStick({ directory: drive, kioskId: desk }))
  }

  return (
    <JobCard
      titleId="restore-title"
      texts="backup.restore"
      className="tool-card"
      job={job}
      onSubmit={onSubmit}
      fields={
        <>
          <ChoiceField
            id="restore-source"
            name="restore-source"
            label={t('backup.restore.source')}
            value={source}
            options={[
              { value: 'peers', label: t('backup.restore.fromPeers') },
              { value: 'stick', label: t('backup.restore.fromStick') },
            ]}
            onChange={(value) => {
              setSource(value as Source)
              setIdError(undefined)
            }}
          />
          {source === 'peers' && others.length > 0 && (
            <ChoiceField
              id="restore-roster-desk"
              name="restore-roster-desk"
              label={t('backup.restore.oldDeskChoice')}
              value={pickedDesk}
              options={[
                ...others.map((d) => ({ value: d.kioskId, label: t(d.online ? 'backup.restore.deskOnline' : 'backup.restore.deskOffline', { name: d.name }) })),
                { value: TYPED, label: t('backup.restore.typeId') },
              ]}
              onChange={(value) => {
                setPickedDesk(value)
                setIdError(undefined)
              }}
            />
          )}
          {source === 'peers' && (others.length === 0 || pickedDesk === TYPED) && (
            <TextField
              id="restore-kiosk-id"
              label={t('backup.restore.oldDesk')}
              hint={t('backup.restore.oldDeskHint')}
              maxLength={64}
              value={typedId}
              error={idError}
              onChange={(value) => {
                setTypedId(value)
                setIdError(undefined)
              }}
            />
          )}
          {source === 'stick' && (
            <>
              <DriveOptions
                id="restore-drive"
                legend={t('tools.drives.readFrom')}
                drives={picker.drives}
                onRefresh={picker.lookAgain}
                choice={picker.choice}
                onChoose={picker.choose}
                purpose="read"
                typedLabel={t('tools.drives.other')}
              />
              {picker.choice === TYPED && (
                // A copy of a stick's folder IT made elsewhere: its absolute path.
                <TypedPath
                  id="restore-folder"
                  field={{ label: t('backup.restore.folder'), hint: t('backup.restore.folderHint') }}
                  value={picker.typed}
                  onType={picker.setTyped}
                  onChange={(value) => setDrive(value.trim())}
                />
              )}
              {drive && desks !== null && desks.length === 0 && (
                <p className="tool-warning" role="status">
                  {t('backup.restore.noDesks')}
                </p>
              )}
              {drive && desks !== null && desks.length > 0 && (
                <ChoiceField
                  id="restore-desk"
                  name="restore-desk"
                  label={t('backup.restore.desksOnStick', { label: driveLabel, interpolation: { escapeValue: false } })}
                  value={desk}
                  error={idError}
                  options={desks.map((d) => ({ value: d.kioskId, label: t('backup.restore.deskChoice', { count: d.records, kioskId: d.kioskId, records: number.format(d.records) }) }))}
                  onChange={setDesk}
                />
              )}
            </>
          )}
        </>
      }
      progress={{
        label: t('backup.restore.progress'),
        done: progress?.done,
        total: progress?.total,
        text: progress ? t('backup.restore.progressText', { done: number.format(progress.done), total: number.format(progress.total) }) : t('tools.working'),
      }}
      doneText={() => t('backup.restore.done')}
      result={(restored) => (
        <dl className="facts tool-facts" data-restore="result">
          <dt>{t('backup.restore.sourceLabel')}</dt>
          <dd>{t(restored.source === 'stick' ? 'backup.restore.source_stick' : 'backup.restore.source_peers')}</dd>
          {restored.source !== 'stick' && (
            <>
              <dt>{t('backup.restore.desks')}</dt>
              <dd data-restore="desks">{number.format(restored.desks)}</dd>
            </>
          )}
          <dt>{t('backup.restore.records')}</dt>
          <dd data-restore="records">{number.format(restored.records)}</dd>
          <dt>{t('backup.restore.accepted')}</dt>
          <dd data-restore="accepted">{number.format(restored.accepted)}</dd>
          <dt>{t('backup.restore.duplicate')}</dt>
          <dd data-restore="duplicate">{number.format(restored.duplicate)}</dd>
          <dt>{t('backup.restore.rejected')}</dt>
          <dd data-restore="rejected">{number.format(restored.rejected)}</dd>
          <dt>{t('backup.restore.failed')}</dt>
          <dd data-restore="failed">{number.format(restored.failed)}</dd>
        </dl>
      )}
      refusal={(error) => reasonKey(error, REASONS)}
    />
  )
}
