export type { EnrolInput, EnrolmentDeps, EnrolmentService, EnrolmentStatus } from './service'
export { createEnrolmentService } from './service'
export { formatEnrolmentCode, generateEnrolmentCode, normaliseEnrolmentCode } from './code'
