import { createContext, useContext } from 'react'

/**
 * True inside the on-screen keyboard's area: text fields there keep the OS keyboard away (`inputmode="none"`)
 * and say which of ours they want (`data-keyboard`). Elsewhere fields are left as they are.
 */
export const OnScreenKeyboardContext = createContext(false)

export function useOnScreenKeyboard(): boolean {
  return useContext(OnScreenKeyboardContext)
}
