// Draws resources/build/icon.png (512×512), which electron-builder turns into the deb icons and the
// Windows .ico. Shapes only, no text: librsvg's fonts differ between machines and the icon must not.
// Run: node resources/build/make-icon.mjs
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

// A post's tent (posko) over a check mark: "registered here".
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect x="16" y="16" width="480" height="480" rx="96" fill="#0b5cab"/>
  <path d="M256 80 L424 296 H88 Z" fill="#ffffff"/>
  <path d="M256 164 L324 296 H188 Z" fill="#0b5cab"/>
  <rect x="80" y="308" width="352" height="30" rx="15" fill="#ffffff"/>
  <path d="M200 408 l40 36 l76 -68" fill="none" stroke="#ffd23f" stroke-width="30" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`

const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png')
await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(out)
console.log(`wrote ${out}`)
