/**
 * The keyboards a field can ask for (`data-keyboard` on the input, see Field.tsx). Names and places are typed
 * in capitals, as the KTP prints them; email starts in small letters and offers the common domains whole.
 */
export const KEYBOARD_KINDS = ['numeric', 'tel', 'text', 'email'] as const
export type KeyboardKind = (typeof KEYBOARD_KINDS)[number]

export function isKeyboardKind(value: string | undefined): value is KeyboardKind {
  return (KEYBOARD_KINDS as readonly string[]).includes(value ?? '')
}

/** Which keyboard a text input gets, from what it already says about itself; null for fields typed otherwise (dates). */
export function keyboardKindFor(input: { type?: string | undefined; inputMode?: string | undefined }): KeyboardKind | null {
  if (input.type === 'date') return null
  if (input.type === 'email' || input.inputMode === 'email') return 'email'
  if (input.type === 'tel' || input.inputMode === 'tel') return 'tel'
  if (input.inputMode === 'numeric') return 'numeric'
  return 'text'
}

export const EMAIL_DOMAINS = ['@gmail.com', '@yahoo.com', '@yahoo.co.id', '@outlook.com', '@icloud.com'] as const

const DIGITS = '1 2 3 4 5 6 7 8 9 0 {bksp}'

/** simple-keyboard layouts: rows of space-separated keys; `shift` is the other case. */
export const LAYOUTS: Readonly<Record<KeyboardKind, Readonly<Record<'default' | 'shift', readonly string[]>>>> = {
  numeric: {
    default: ['1 2 3', '4 5 6', '7 8 9', '{bksp} 0 {enter}'],
    shift: ['1 2 3', '4 5 6', '7 8 9', '{bksp} 0 {enter}'],
  },
  tel: {
    default: ['1 2 3', '4 5 6', '7 8 9', '+ 0 {bksp}', '{enter}'],
    shift: ['1 2 3', '4 5 6', '7 8 9', '+ 0 {bksp}', '{enter}'],
  },
  text: {
    default: [DIGITS, 'Q W E R T Y U I O P', "A S D F G H J K L ' -", '{shift} Z X C V B N M , . /', '{space} {enter}'],
    shift: [DIGITS, 'q w e r t y u i o p', "a s d f g h j k l ' -", '{shift} z x c v b n m , . /', '{space} {enter}'],
  },
  email: {
    default: [DIGITS, 'q w e r t y u i o p', 'a s d f g h j k l _ -', '{shift} z x c v b n m @ .', `${EMAIL_DOMAINS.join(' ')} {enter}`],
    shift: [DIGITS, 'Q W E R T Y U I O P', 'A S D F G H J K L _ -', '{shift} Z X C V B N M @ .', `${EMAIL_DOMAINS.join(' ')} {enter}`],
  },
}

/** Every key a layout has, once: for the attributes every key button gets. */
export function keysOf(kind: KeyboardKind): string[] {
  const rows = [...LAYOUTS[kind].default, ...LAYOUTS[kind].shift]
  return [...new Set(rows.flatMap((row) => row.split(' ')))]
}
