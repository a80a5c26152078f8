import { useTranslation } from 'react-i18next'
import type { PathPickerProps } from './DriveOptions'
import { DriveOptions, TYPED, TypedPath, useDriveChoice } from './DriveOptions'

/**
 * Where to write a file (an offline bundle, a diagnostics export): a USB drive the kiosk sees, tapped, or a folder
 * typed by hand. `onChange` gets the folder's path either way.
 */
export function FolderPicker(props: PathPickerProps) {
  const { t } = useTranslation()
  const picker = useDriveChoice('write', (choice, typed) => {
    props.onChange(choice === TYPED ? typed : choice)
    props.onEdit?.()
  })
  return (
    <>
      <DriveOptions
        id={`${props.id}-drive`}
        legend={t('tools.drives.saveTo')}
        drives={picker.drives}
        onRefresh={picker.lookAgain}
        choice={picker.choice}
        onChoose={picker.choose}
        purpose="write"
        typedLabel={t('tools.drives.other')}
      />
      {picker.choice === TYPED && <TypedPath {...props} value={picker.typed} onType={picker.setTyped} />}
    </>
  )
}
