/**
 * What a key of the on-screen keyboard does to a text field, as a pure function of the field's value and
 * selection, so the rules (maxLength, deleting a selection) are testable without a DOM.
 */
export interface TextEdit {
  value: string
  /** Selection start and end; equal when it is just a caret. */
  start: number
  end: number
}

export const BACKSPACE = '{bksp}'
export const SPACE = '{space}'

/** The keys that type nothing themselves: the panel handles them (Shift, Enter). */
export function isControlKey(key: string): boolean {
  return key.startsWith('{') && key !== BACKSPACE && key !== SPACE
}

export function applyKey(edit: TextEdit, key: string, maxLength: number | null): TextEdit {
  const { value, start, end } = edit
  if (key === BACKSPACE) {
    if (start !== end) return { value: value.slice(0, start) + value.slice(end), start, end: start }
    if (start === 0) return edit
    return { value: value.slice(0, start - 1) + value.slice(end), start: start - 1, end: start - 1 }
  }
  if (isControlKey(key)) return edit
  const text = key === SPACE ? ' ' : key
  // Like a real keyboard at a field's maxlength: what doesn't fit is not typed.
  const room = maxLength === null ? text.length : maxLength - (value.length - (end - start))
  const typed = text.slice(0, Math.max(0, room))
  if (typed === '') return edit
  const caret = start + typed.length
  return { value: value.slice(0, start) + typed + value.slice(end), start: caret, end: caret }
}
