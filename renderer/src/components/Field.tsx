import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useOnScreenKeyboard } from './keyboard/context'
import { keyboardKindFor } from './keyboard/layouts'

/** What a control needs to be tied to its label, hint, warnings and error for assistive technology. */
export interface ControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

export interface FieldFrame {
  id: string
  label: string
  /** An i18n key (`validation.*`), translated here so a language switch re-words errors already shown. */
  error?: string | undefined
  hint?: string | undefined
  /** Non-blocking notes (warnings, suggestions) shown under the control. */
  notices?: ReactNode
}

function describedBy(frame: FieldFrame): string | undefined {
  const ids = [frame.hint && `${frame.id}-hint`, frame.notices ? `${frame.id}-notice` : '', frame.error && `${frame.id}-error`].filter(Boolean)
  return ids.length > 0 ? ids.join(' ') : undefined
}

/**
 * One labelled control with its hint, warnings and error. The error sits at the field, is referenced by
 * aria-describedby and announced (role=alert), so nobody has to hunt for what went wrong.
 */
export function Field(props: FieldFrame & { children: (control: ControlProps) => ReactNode }) {
  const control: ControlProps = { id: props.id, 'aria-invalid': props.error ? true : undefined, 'aria-describedby': describedBy(props) }
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p id={`${props.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      )}
      {props.children(control)}
      <FieldMessages {...props} />
    </div>
  )
}

function FieldMessages(props: FieldFrame) {
  const { t } = useTranslation()
  return (
    <>
      {props.notices ? (
        <div id={`${props.id}-notice`} className="field-notice" role="status">
          {props.notices}
        </div>
      ) : null}
      {props.error && (
        <p id={`${props.id}-error`} className="field-error" role="alert">
          {t(props.error)}
        </p>
      )}
    </>
  )
}

export function TextField(
  props: FieldFrame & {
    value: string
    onChange: (value: string) => void
    onBlur?: () => void
    type?: 'text' | 'email' | 'tel' | 'date' | 'search' | 'password'
    inputMode?: 'text' | 'numeric' | 'tel' | 'email'
    maxLength?: number
    className?: string
    disabled?: boolean
    /** The expected shape ("hh/bb/tttt"), never the label: the label stays above the field. */
    placeholder?: string
  },
) {
  // On a touch kiosk our keyboard types here, and the OS one must not pop up over it.
  const keyboard = useOnScreenKeyboard() ? keyboardKindFor(props) : null
  return (
    <Field {...props}>
      {(control) => (
        <input
          {...control}
          className={props.className}
          type={props.type ?? 'text'}
          inputMode={keyboard ? 'none' : props.inputMode}
          data-keyboard={keyboard ?? undefined}
          maxLength={props.maxLength}
          placeholder={props.placeholder}
          disabled={props.disabled}
          // A shared kiosk must never offer one applicant's entries to the next.
          autoComplete="off"
          spellCheck={false}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          onBlur={props.onBlur}
        />
      )}
    </Field>
  )
}

export interface Option {
  value: string
  label: string
}

export function SelectField(
  props: FieldFrame & {
    value: string
    options: readonly Option[]
    placeholder: string
    disabled?: boolean
    onChange: (value: string) => void
  },
) {
  return (
    <Field {...props}>
      {(control) => (
        <select {...control} value={props.value} disabled={props.disabled} onChange={(event) => props.onChange(event.target.value)}>
          <option value="">{props.placeholder}</option>
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

/** A tick box whose whole row is the touch target; its error sits right under it. */
export function CheckboxField(props: Omit<FieldFrame, 'hint'> & { value: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className={props.error ? 'field field-check field-invalid' : 'field field-check'}>
      <label className="check" htmlFor={props.id}>
        <input
          id={props.id}
          type="checkbox"
          checked={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy(props)}
          onChange={(event) => props.onChange(event.target.checked)}
        />
        <span>{props.label}</span>
      </label>
      <FieldMessages {...props} />
    </div>
  )
}

/**
 * Few exclusive options as large radio buttons (one tap on a touch screen). The group carries the invalid state;
 * the first radio carries the field's id so focus can be sent to it.
 */
export function ChoiceField(
  props: FieldFrame & { name: string; value: string; options: readonly Option[]; onChange: (value: string) => void },
) {
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <span className="field-label" id={`${props.id}-label`}>
        {props.label}
      </span>
      <div
        role="radiogroup"
        className="choices"
        aria-labelledby={`${props.id}-label`}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props)}
      >
        {props.options.map((option, index) => (
          <label key={option.value} className="choice">
            <input
              id={index === 0 ? props.id : undefined}
              type="radio"
              name={props.name}
              value={option.value}
              checked={props.value === option.value}
              onChange={() => props.onChange(option.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
      <FieldMessages {...props} />
    </div>
  )
}

/** A warning or suggestion: shown, never blocking. */
export function Notice(props: { children: ReactNode }) {
  return <p className="notice">{props.children}</p>
}
