import { useState } from 'react'
import { pathError } from '../../format'
import { focusField } from '../../session/staffFields'
import type { PathPickerProps } from './DriveOptions'

/**
 * A picked or typed path and its error, for a card that writes to or reads from a stick. `take` is the submit's
 * check: the trimmed path, or null with the error shown at the field and the focus sent there.
 */
export function usePathField(id: string): { picker: Omit<PathPickerProps, 'field'>; take: () => string | null } {
  const [path, setPath] = useState('')
  const [error, setError] = useState<string | undefined>()
  const take = () => {
    const problem = pathError(path)
    setError(problem)
    if (!problem) return path.trim()
    focusField(id)
    return null
  }
  return { picker: { id, error, onChange: setPath, onEdit: () => setError(undefined) }, take }
}
