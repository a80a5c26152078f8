import { z } from 'zod'

/** A photo and the quality gate's verdict on it, as the photo step shows it. */

export const PhotoKind = z.enum(['face', 'card'])
export type PhotoKind = z.infer<typeof PhotoKind>
/** Stable codes the renderer words as reasons ("Foto terlalu gelap"); `min`/`max` tell which way a check failed. */
export const PhotoCheck = z.object({
  id: z.enum(['decodable', 'resolution', 'face_count', 'face_size', 'face_centered', 'brightness', 'blur', 'content']),
  ok: z.boolean(),
  value: z.number(),
  threshold: z.string(),
  min: z.number().optional(),
  max: z.number().optional(),
})
export type PhotoCheck = z.infer<typeof PhotoCheck>
export const PhotoVerdict = z.object({
  kind: PhotoKind,
  verdict: z.enum(['pass', 'fail']),
  checks: z.array(PhotoCheck),
  /** The stored photo's reference for the record; null when the frame could not be decoded (nothing stored). */
  sha256: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  /** The processed JPEG as a data: URL for the preview (the CSP allows data: images). Empty when nothing stored. */
  preview: z.string(),
})
export type PhotoVerdict = z.infer<typeof PhotoVerdict>
/** 8 MB of JPEG as base64 (IPC, browser mode and the test binding all carry strings the same way). */
export const JpegBase64 = z.string().max(Math.ceil((8 * 1024 * 1024 * 4) / 3) + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'validation.photo')
