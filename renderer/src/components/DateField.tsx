import { useTranslation } from 'react-i18next'
import { readDayMonthYear, toDayMonthYear } from '../dates'
import type { FieldFrame } from './Field'
import { TextField } from './Field'

/**
 * A date typed as dd/mm/yyyy, whatever the OS or browser locale (issue 19: a native date input follows the
 * browser's, and showed 06/12/1995 for 12 June on an en-US Chromium). Eight digits are enough: the slashes come
 * by themselves. `value` is what the form holds: the ISO date once all eight digits are there ("1998-08-17"),
 * what was typed so far before that; the schema's date check says whether the day exists.
 */
export function DateField(props: FieldFrame & { value: string; onChange: (value: string) => void; onBlur?: () => void; disabled?: boolean }) {
  const { t } = useTranslation()
  return (
    <TextField
      {...props}
      className="input-date"
      inputMode="numeric"
      maxLength={10}
      placeholder={t('field.datePlaceholder')}
      value={toDayMonthYear(props.value)}
      onChange={(typed) => props.onChange(readDayMonthYear(typed))}
    />
  )
}
