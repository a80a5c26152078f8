import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useFocusOnMount } from '../../../hooks/useFocusOnMount'
import { BundleExportCard } from './BundleExportCard'
import { BundleImportCard } from './BundleImportCard'

/** "Bundel USB": the two halves of the offline path, export at the post without internet, import at one with it. */
export function BundleScreen() {
  const { t } = useTranslation()
  const headingRef = useRef<HTMLHeadingElement>(null)
  useFocusOnMount(headingRef)
  return (
    <div className="tools bundles">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('tools.bundle.title')}
      </h1>
      <p className="tool-intro">{t('tools.bundle.intro')}</p>
      <BundleExportCard />
      <BundleImportCard />
    </div>
  )
}
