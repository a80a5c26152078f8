import { createContext, useContext } from 'react'

/**
 * What the NIK step's "already registered" notice can do, given by whoever holds the flow: the staff desk opens the
 * record and reprints its receipt beside the registration; every flow can start over. An absent action is not shown.
 */
export interface DuplicateActions {
  open?: (recordId: string) => void
  reprint?: (recordId: string) => void
  restart: () => void
}

export const DuplicateActionsContext = createContext<DuplicateActions | null>(null)

export function useDuplicateActions(): DuplicateActions | null {
  return useContext(DuplicateActionsContext)
}
