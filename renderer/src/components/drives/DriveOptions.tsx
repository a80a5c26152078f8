import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RemovableDrive } from '../../../../common/operations'
import type { Loadable } from '../../api'
import { useCall } from '../../api'
import { formatBytes } from '../../format'
import { TextField } from '../Field'

/** The choice that is not a drive: a folder or file typed by hand. */
export const TYPED = 'typed'

export type DriveList = Loadable<{ drives: RemovableDrive[] }>

/** The USB drives the kiosk sees, asked on mount and again on "look again" (a stick plugged in meanwhile). */
function useDrives(): [DriveList, () => void] {
  const [drives, refresh] = useCall((posko) => posko.storage.drives())
  return [drives, refresh]
}

/**
 * Once the drives are known and nothing is chosen yet: the first usable drive, else the typed path. One stick in
 * the kiosk (the usual case) is then already chosen when the screen opens.
 */
function useFirstChoice(drives: DriveList, purpose: 'write' | 'read', choice: string | null, choose: (c: string) => void) {
  useEffect(() => {
    if (drives.status === 'loading') return
    const list = drives.status === 'ready' ? drives.value.drives : []
    // Also when the chosen stick was pulled out and "look again" no longer finds it.
    const gone = choice !== null && choice !== TYPED && !list.some((d) => d.path === choice)
    if (choice !== null && !gone) return
    const first = list.find((d) => purpose === 'read' || d.writable)
    choose(first ? first.path : TYPED)
  }, [drives, choice, choose, purpose])
}

/** What a picker (FolderPicker, BundlePicker) takes: the typed path's field, and where the chosen path goes. */
export interface PathPickerProps {
  /** The typed-path field's id (the card focuses it on an error). */
  id: string
  field: { label: string; hint: string }
  onChange: (path: string) => void
  error?: string | undefined
  /** Anything chosen or typed: the card clears its field error. */
  onEdit?: () => void
}

/**
 * A picker's state: the drives, the choice among them (or TYPED), and what was typed, kept while a drive is
 * chosen. `onChoose` hears every choice with the typed path of the moment.
 */
export function useDriveChoice(purpose: 'write' | 'read', onChoose: (choice: string, typed: string) => void) {
  const [drives, refresh] = useDrives()
  const [choice, setChoice] = useState<string | null>(null)
  const [typed, setTyped] = useState('')
  const choose = (next: string) => {
    setChoice(next)
    onChoose(next, typed)
  }
  useFirstChoice(drives, purpose, choice, choose)
  const lookAgain = () => {
    // Nothing typed yet: the stick just plugged in may be chosen for them again.
    if (choice === TYPED && typed === '') setChoice(null)
    refresh()
  }
  return { drives, choice, choose, typed, setTyped, lookAgain }
}

/** The path typed by hand, shown when "another folder/file" is chosen. */
export function TypedPath(props: PathPickerProps & { value: string; onType: (value: string) => void }) {
  return (
    <TextField
      id={props.id}
      label={props.field.label}
      hint={props.field.hint}
      maxLength={1024}
      value={props.value}
      error={props.error}
      onChange={(value) => {
        props.onType(value)
        props.onChange(value)
        props.onEdit?.()
      }}
    />
  )
}

/**
 * The drives as large options to tap (label, free space, "read-only"), then the typed-path option, and a button
 * to look again. Writing needs a writable drive; a read-only one is shown but cannot be chosen for it.
 */
export function DriveOptions(props: {
  id: string
  legend: string
  drives: DriveList
  onRefresh: () => void
  choice: string | null
  onChoose: (choice: string) => void
  purpose: 'write' | 'read'
  /** The typed-path option's label; without one there is none (the backup stick must be a drive the kiosk sees). */
  typedLabel?: string
}) {
  const { t, i18n } = useTranslation()
  const { drives } = props
  const list = drives.status === 'ready' ? drives.value.drives : []
  const status =
    drives.status === 'loading'
      ? t('tools.drives.searching')
      : drives.status === 'error'
        ? t('tools.drives.failed')
        : list.length === 0
          ? t('tools.drives.none')
          : t('tools.drives.found', { count: list.length })
  const bytes = (n: number) => formatBytes(n, i18n.language)
  return (
    <fieldset className="drive-picker">
      <legend>{props.legend}</legend>
      <p className="field-hint" role="status" id={`${props.id}-status`}>
        {status}
      </p>
      <div className="choices drive-choices" role="radiogroup" aria-label={props.legend} aria-describedby={`${props.id}-status`}>
        {list.map((drive, index) => {
          const unusable = props.purpose === 'write' && !drive.writable
          return (
            <label key={drive.path} className={unusable ? 'choice drive-choice choice-disabled' : 'choice drive-choice'}>
              <input
                id={index === 0 ? `${props.id}-first` : undefined}
                type="radio"
                name={props.id}
                value={drive.path}
                checked={props.choice === drive.path}
                disabled={unusable}
                onChange={() => props.onChoose(drive.path)}
              />
              <span className="drive-text">
                <span className="drive-label">{drive.label}</span>
                <span className="drive-detail">
                  {drive.freeBytes !== null && drive.totalBytes !== null
                    ? t('tools.drives.space', { free: bytes(drive.freeBytes), total: bytes(drive.totalBytes) })
                    : drive.path}
                  {!drive.writable && ` · ${t('tools.drives.readOnly')}`}
                </span>
              </span>
            </label>
          )
        })}
        {props.typedLabel !== undefined && (
          <label className="choice drive-choice">
            <input type="radio" name={props.id} value={TYPED} checked={props.choice === TYPED} onChange={() => props.onChoose(TYPED)} />
            <span className="drive-text">
              <span className="drive-label">{props.typedLabel}</span>
            </span>
          </label>
        )}
      </div>
      <div className="actions actions-start">
        <button type="button" onClick={props.onRefresh} disabled={drives.status === 'loading'}>
          {t('tools.drives.refresh')}
        </button>
      </div>
    </fieldset>
  )
}
