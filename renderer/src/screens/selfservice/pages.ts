import type { FlowPage } from '../registration/pages'

const KTP_REGIONS: ReadonlySet<string> = new Set([
  'ktpAddress.provinceCode',
  'ktpAddress.regencyCode',
  'ktpAddress.districtCode',
  'ktpAddress.villageCode',
])

/**
 * The self-service kiosk's pages over the same steps as the desk: consent is the welcome screen, and where a touch
 * screen is better asked one thing at a time the step is split (the address: regions, then street; work, then
 * schooling as lists of big choices). Every error of a step belongs to exactly one of its pages.
 */
export const SELF_SERVICE_PAGES: readonly FlowPage[] = [
  { id: 'welcome', step: 'consent' },
  // Left out by the flow where the kiosk has no KTP reader (useRegistrationFlow).
  { id: 'scan', step: 'scan' },
  { id: 'nik', step: 'nik' },
  { id: 'identity', step: 'identity' },
  { id: 'region', step: 'address', shows: (path) => KTP_REGIONS.has(path) },
  { id: 'street', step: 'address', shows: (path) => !KTP_REGIONS.has(path) },
  { id: 'contact', step: 'contact' },
  { id: 'employment', step: 'employment', shows: (path) => path === 'employment' },
  { id: 'education', step: 'employment', shows: (path) => path !== 'employment' },
  { id: 'photo', step: 'photo' },
  { id: 'review', step: 'review' },
  { id: 'receipt', step: 'receipt' },
]

/** "Langkah n dari N" counts the questions: not the welcome, not the receipt. */
export const questionCount = (pages: readonly FlowPage[]) => pages.length - 2
