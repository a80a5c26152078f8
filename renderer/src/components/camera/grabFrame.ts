/** JPEG quality of the grabbed frame: high enough that the kiosk's own re-encode, not this one, decides the size. */
const GRAB_QUALITY = 0.92

/** Waits until the video has a frame to draw; a stream that never delivers one is a camera fault. */
function frameReady(video: HTMLVideoElement, timeoutMs: number): Promise<void> {
  if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => {
      video.removeEventListener('loadeddata', done)
      reject(new DOMException('the camera delivered no frame', 'NotReadableError'))
    }, timeoutMs)
    function done() {
      window.clearTimeout(timer)
      resolve()
    }
    video.addEventListener('loadeddata', done, { once: true })
  })
}

function toBase64(bytes: Uint8Array): string {
  // btoa takes a binary string; building it in slices keeps the argument list under the engine's limit.
  let binary = ''
  const slice = 0x8000
  for (let i = 0; i < bytes.length; i += slice) binary += String.fromCharCode(...bytes.subarray(i, i + slice))
  return btoa(binary)
}

/**
 * The current video frame as base64 JPEG, at the camera's own resolution. Drawn from the element, not from the
 * mirrored preview, so the stored photo is the right way round.
 */
export async function grabJpegBase64(video: HTMLVideoElement): Promise<string> {
  await frameReady(video, 5000)
  const canvas = document.createElement('canvas')
  canvas.width = video.videoWidth
  canvas.height = video.videoHeight
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2D canvas context')
  context.drawImage(video, 0, 0, canvas.width, canvas.height)
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the frame could not be encoded'))), 'image/jpeg', GRAB_QUALITY),
  )
  // The pixels are the applicant's face: release them now rather than whenever the canvas is collected.
  canvas.width = 0
  canvas.height = 0
  return toBase64(new Uint8Array(await blob.arrayBuffer()))
}
