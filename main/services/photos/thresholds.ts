// The schema lives in common/ so the kiosk config (common/config.ts) can carry per-post overrides.
export { defaultPhotoThresholds, PhotoThresholds } from '../../../common/photo-thresholds'
