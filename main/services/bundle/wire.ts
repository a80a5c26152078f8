import { z } from 'zod'

/** POST /v1/bundles: the bundle file as the body, central's summary as the answer (test/central uses these too). */
export const BUNDLES_PATH = '/v1/bundles'

export const BundleAnswer = z.object({
  bundleId: z.uuid(),
  postId: z.string(),
  records: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  duplicate: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  photos: z.number().int().nonnegative(),
  /** Photos central did not have before this bundle. */
  newPhotos: z.number().int().nonnegative(),
})
export type BundleAnswer = z.infer<typeof BundleAnswer>
