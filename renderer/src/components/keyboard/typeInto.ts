import { applyKey } from './keys'

/**
 * React keeps its own record of an input's value on the element; the prototype's setter changes the value the way
 * typing does, so the `input` event below reaches the field's onChange and the draft state, as a keystroke would.
 */
const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set

/** One key of the on-screen keyboard into a (controlled) text field, at its caret. */
export function typeInto(input: HTMLInputElement, key: string): void {
  // Email fields expose no caret to scripts: typing there always goes at the end.
  const caretKnown = input.selectionStart !== null
  const end = input.value.length
  const before = { value: input.value, start: input.selectionStart ?? end, end: input.selectionEnd ?? end }
  const after = applyKey(before, key, input.maxLength >= 0 ? input.maxLength : null)
  if (after.value === before.value || !setValue) return
  setValue.call(input, after.value)
  input.dispatchEvent(new Event('input', { bubbles: true }))
  if (caretKnown) input.setSelectionRange(after.start, after.end)
}
