import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { BundleOnDrive, RemovableDrive } from '../../../../common/operations'
import type { Loadable } from '../../api'
import { callPosko } from '../../api'
import { formatDateTime } from '../../dates'
import { fileNameOf } from '../../format'
import type { PathPickerProps } from './DriveOptions'
import { DriveOptions, TYPED, TypedPath, useDriveChoice } from './DriveOptions'

/**
 * Which bundle to import: a USB drive the kiosk sees, then one of the bundles on it (newest first, described by
 * their readable headers: whose, how many, when), or a file typed by hand. `onChange` gets the file's path.
 */
export function BundlePicker(props: PathPickerProps) {
  const { t } = useTranslation()
  const [bundle, setBundle] = useState<string | null>(null)
  /** Bumped by "look again", so the chosen drive's bundles are read again too. */
  const [look, setLook] = useState(0)
  const { onChange, onEdit } = props
  const picker = useDriveChoice('read', (choice, typed) => {
    setBundle(null)
    onChange(choice === TYPED ? typed : '')
    onEdit?.()
  })
  const pick = (file: string) => {
    setBundle(file)
    onChange(file)
    onEdit?.()
  }
  const drive = picker.drives.status === 'ready' ? picker.drives.value.drives.find((d) => d.path === picker.choice) : undefined
  return (
    <>
      <DriveOptions
        id={`${props.id}-drive`}
        legend={t('tools.drives.readFrom')}
        drives={picker.drives}
        onRefresh={() => {
          setLook((n) => n + 1)
          picker.lookAgain()
        }}
        choice={picker.choice}
        onChoose={picker.choose}
        purpose="read"
        typedLabel={t('tools.drives.otherFile')}
      />
      {drive && <BundlesOnDrive key={`${drive.path}:${look}`} id={`${props.id}-bundle`} drive={drive} chosen={bundle} onPick={pick} />}
      {picker.choice === TYPED && <TypedPath {...props} value={picker.typed} onType={picker.setTyped} />}
    </>
  )
}

function BundlesOnDrive(props: { id: string; drive: RemovableDrive; chosen: string | null; onPick: (file: string) => void }) {
  const { t, i18n } = useTranslation()
  const [found, setFound] = useState<Loadable<{ bundles: BundleOnDrive[] }>>({ status: 'loading' })
  const { drive, onPick, chosen } = props
  useEffect(() => {
    let live = true
    void callPosko((posko) => posko.bundle.list({ directory: drive.path })).then((result) => {
      if (!live) return
      setFound(result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error })
      // The newest bundle is the one a post brings, nearly always.
      const newest = result.ok ? result.value.bundles[0] : undefined
      if (newest && chosen === null) onPick(newest.file)
    })
    return () => {
      live = false
    }
    // Listed once per drive (the key remounts this for another drive or a fresh look).
  }, [drive.path])
  const list = found.status === 'ready' ? found.value.bundles : []
  const status =
    found.status === 'loading'
      ? t('tools.drives.listing')
      : found.status === 'error'
        ? t('tools.drives.listFailed', { label: drive.label })
        : list.length === 0
          ? t('tools.drives.noBundles', { label: drive.label })
          : ''
  const legend = t('tools.drives.bundles', { label: drive.label })
  const number = new Intl.NumberFormat(i18n.language)
  return (
    <fieldset className="drive-picker">
      <legend>{legend}</legend>
      <p className={status ? 'field-hint' : 'status-idle'} role="status" id={`${props.id}-status`}>
        {status}
      </p>
      {list.length > 0 && (
        <div className="choices drive-choices" role="radiogroup" aria-label={legend}>
          {list.map((b, index) => (
            <label key={b.file} className="choice drive-choice">
              <input
                id={index === 0 ? `${props.id}-first` : undefined}
                type="radio"
                name={props.id}
                value={b.file}
                checked={chosen === b.file}
                onChange={() => onPick(b.file)}
              />
              <span className="drive-text">
                <span className="drive-label mono">{fileNameOf(b.file)}</span>
                <span className="drive-detail">
                  {t('tools.drives.bundleDetail', { post: b.postId, records: number.format(b.records), when: formatDateTime(b.createdAt, i18n.language) })}
                </span>
              </span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  )
}
