/** The DOM id of a field's control, so focus can be sent to the first invalid one. */
export function fieldId(path: string): string {
  return `field-${path.replace(/\./g, '-')}`
}

/** What a field component needs from its form: spread it, then add the label and the rest. */
export interface FieldBinding<V> {
  id: string
  value: V
  error: string | undefined
  onChange: (value: V) => void
}

/**
 * The fields of one object (a form, an address, the consent) by key: the control's id and error come from the
 * key's path (`prefix.key`), a change patches that key alone.
 */
export function bindFields<F extends object>(
  values: F,
  errors: Readonly<Partial<Record<string, string>>>,
  update: (patch: Partial<F>) => void,
  prefix?: string,
): <K extends keyof F & string>(key: K) => FieldBinding<F[K]> {
  return (key) => {
    const path = prefix ? `${prefix}.${key}` : key
    const onChange = (value: F[typeof key]) => {
      const patch: Partial<F> = {}
      patch[key] = value
      update(patch)
    }
    return { id: fieldId(path), value: values[key], error: errors[path], onChange }
  }
}

/**
 * A closed set of answers edited through a control that hands back any string (a select, radios): anything not
 * among `options` (the select's placeholder) is unanswered.
 */
export function choiceOf<V extends string>(binding: FieldBinding<V | ''>, options: readonly V[]): FieldBinding<string> {
  const isOption = (value: string): value is V => (options as readonly string[]).includes(value)
  return { ...binding, onChange: (value) => binding.onChange(isOption(value) ? value : '') }
}
