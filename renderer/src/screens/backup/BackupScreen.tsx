import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useFocusOnMount } from '../../hooks/useFocusOnMount'
import { RestoreCard } from './RestoreCard'
import { StickCard } from './StickCard'

/**
 * "Cadangan & pemulihan" (issue 22.3, 22.4), a supervisor's: the desk's backup stick (designate, forget, its state),
 * and restoring an old desk's records — from the post's other desks or from a stick — after a reinstall.
 */
export function BackupScreen() {
  const { t } = useTranslation()
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <div className="tools backup">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('nav.backup')}
      </h1>
      <StickCard />
      <RestoreCard />
    </div>
  )
}
