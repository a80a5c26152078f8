/**
 * Every answer the kiosk reads from the network is read with a cap (issue 17, low): a captive portal, a broken proxy
 * or a hostile central answering 2 GB must give a typed failure, not fill the kiosk's memory. The body is read chunk
 * by chunk and the read is cancelled as soon as it passes the cap (a declared Content-Length over it is refused
 * before any of it is read).
 */

/** Small JSON answers (heartbeat receipt, enrolment, bundle receipt, health): a few hundred bytes; 64 KiB is ample. */
export const SMALL_ANSWER_BYTES = 64 * 1024

export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError'
  constructor(readonly limit: number) {
    super(`answer is larger than ${limit} bytes`)
  }
}

/** The body of a fetch Response as UTF-8 text, or ResponseTooLargeError past maxBytes. */
export async function readCapped(response: Response, maxBytes: number): Promise<string> {
  return (await readCappedBytes(response, maxBytes)).toString('utf8')
}

/** The body's exact bytes (what a signature covers), or ResponseTooLargeError past maxBytes. */
export async function readCappedBytes(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw new ResponseTooLargeError(maxBytes)
  }
  if (!response.body) return Buffer.alloc(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new ResponseTooLargeError(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size)
}
