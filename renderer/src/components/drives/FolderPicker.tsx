import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { TextField } from '../Field'
import { DriveOptions, TYPED, useDrives, useFirstChoice } from './DriveOptions'

/**
 * Where to write a file (an offline bundle, a diagnostics export): a USB drive the kiosk sees, tapped, or a folder
 * typed by hand. `onChange` gets the folder's path either way; what was typed is kept while a drive is chosen.
 */
export function FolderPicker(props: {
  /** The typed-path field's id (the card focuses it on an error). */
  id: string
  field: { label: string; hint: string }
  onChange: (path: string) => void
  error?: string | undefined
  onEdit?: () => void
}) {
  const { t } = useTranslation()
  const [drives, refresh] = useDrives()
  const [choice, setChoice] = useState<string | null>(null)
  const [typed, setTyped] = useState('')
  const choose = (next: string) => {
    setChoice(next)
    props.onChange(next === TYPED ? typed : next)
    props.onEdit?.()
  }
  useFirstChoice(drives, 'write', choice, choose)
  return (
    <>
      <DriveOptions
        id={`${props.id}-drive`}
        legend={t('tools.drives.saveTo')}
        drives={drives}
        onRefresh={() => {
          // Nothing typed yet: the stick just plugged in may be chosen for them again.
          if (choice === TYPED && typed === '') setChoice(null)
          refresh()
        }}
        choice={choice}
        onChoose={choose}
        purpose="write"
        typedLabel={t('tools.drives.other')}
      />
      {choice === TYPED && (
        <TextField
          id={props.id}
          label={props.field.label}
          hint={props.field.hint}
          maxLength={1024}
          value={typed}
          error={props.error}
          onChange={(value) => {
            setTyped(value)
            props.onChange(value)
            props.onEdit?.()
          }}
        />
      )}
    </>
  )
}
