import { useEffect, useRef, useState } from 'react'
import type { NikCheck, NikSource } from '../../../../../common/nik-check'
import { normaliseNik, parseNik } from '../../../../../common/nik'
import { callPosko } from '../../../api'

/** The sources asked, fastest first: this kiosk answers at once, central when online (the post network adds a desk). */
const SOURCES: readonly NikSource[] = ['kiosk', 'desk', 'central']

export interface NikDuplicate {
  /** A source is still being asked about the NIK typed now. */
  checking: boolean
  /** What found the NIK registered (the first source that did), or null: nothing found (yet). */
  found: NikCheck | null
}

const registered = (check: NikCheck) => check.found === 'here' || check.found === 'this_post' || check.found === 'elsewhere' || check.found === 'registered'

/**
 * Asks, as soon as the NIK is whole and valid, whether it is registered already (issue 19.1): this kiosk first, then
 * central. The first source that finds it decides; one that can't answer (offline, timeout) is passed over, so a
 * missing uplink never holds the NIK step up. Answers are kept per NIK for the form's life (Back, "Ubah"), and an
 * answer for a NIK that was edited meanwhile is not applied.
 */
export function useNikDuplicate(rawNik: string, exceptId?: string): NikDuplicate {
  const parsed = parseNik(rawNik)
  const nik = parsed.ok ? normaliseNik(rawNik) : null
  const answers = useRef(new Map<string, NikCheck | null>())
  const [, rerender] = useState(0)
  const [asking, setAsking] = useState<string | null>(null)

  useEffect(() => {
    if (!nik || answers.current.has(nik)) return
    let live = true
    setAsking(nik)
    void (async () => {
      let found: NikCheck | null = null
      for (const source of SOURCES) {
        const result = await callPosko((posko) => posko.registration.checkNik({ nik, source, ...(exceptId ? { exceptId } : {}) }))
        if (result.ok && registered(result.value)) {
          found = result.value
          break
        }
      }
      answers.current.set(nik, found)
      if (!live) return
      setAsking((current) => (current === nik ? null : current))
      rerender((n) => n + 1)
    })()
    return () => {
      live = false
    }
  }, [nik, exceptId])

  if (!nik) return { checking: false, found: null }
  return { checking: asking === nik && !answers.current.has(nik), found: answers.current.get(nik) ?? null }
}
