import type { Decision } from './consistency'

/** What the KTP worker is started with (workerData). */
export interface KtpWorkerData {
  /** resources/regions/regions.json: the worker loads its own index (regions match by name there). */
  regionsFile: string
}

export interface KtpWorkerRequest {
  id: number
  /** The frame's JPEG bytes, transferred (not copied) to the worker. */
  jpeg: Uint8Array
  /** The kiosk's today (ISO), for the NIK's century. */
  today: string
}

/** One frame's outcome. Only checked fields cross; religion and marital status are never read in the first place. */
export interface KtpFrameResult {
  cardFound: boolean
  decision: Decision
  millis: number
}

export type KtpWorkerReply = { id: number; ok: true; value: KtpFrameResult } | { id: number; ok: false; error: { name: string; message: string } }
