export type { HeartbeatOptions, HeartbeatOutcome, HeartbeatSender } from './heartbeat'
export { buildHeartbeat, createHeartbeat, uploadRunEnded } from './heartbeat'
export { FleetAnswer, FleetPost, Heartbeat, HeartbeatAnswer, heartbeatPath } from './wire'
