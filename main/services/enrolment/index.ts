export type { EnrolInput, EnrolmentDeps, EnrolmentService, EnrolmentStatus, KioskCredentials } from './service'
export { createEnrolmentService } from './service'
export { formatEnrolmentCode, generateEnrolmentCode, normaliseEnrolmentCode } from './code'
