import QRCode from 'qrcode'
import { useEffect, useState } from 'react'

/**
 * A QR code as a data: image (the CSP allows img data:, and an <img> prints reliably where a canvas may not).
 * Nothing is shown until it is drawn, so a printed receipt never has a broken image.
 */
export function QrCode(props: { text: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    QRCode.toDataURL(props.text, { errorCorrectionLevel: 'M', margin: 2, width: 240 })
      .then((url) => {
        if (live) setSrc(url)
      })
      .catch(() => {
        if (live) setSrc(null)
      })
    return () => {
      live = false
    }
  }, [props.text])
  return src ? <img className="qr" src={src} alt={props.alt} width={240} height={240} /> : null
}
