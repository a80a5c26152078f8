/**
 * A plain ustar archive writer: regular files only, names under 100 ASCII bytes. The diagnostics bundle needs no
 * more, and `tar -xzf` (or 7-Zip on Windows) opens it without a dependency on either side.
 */
export interface TarEntry {
  name: string
  data: Buffer | string
  mtime?: Date
}

const BLOCK = 512

function octal(value: number, width: number): string {
  // width - 1 digits then NUL, as ustar expects.
  return `${value.toString(8).padStart(width - 1, '0')}\0`
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (!/^[A-Za-z0-9._/-]{1,99}$/.test(name) || name.startsWith('/') || name.split('/').includes('..')) {
    throw new Error(`tar: unsupported entry name ${JSON.stringify(name)}`)
  }
  const h = Buffer.alloc(BLOCK, 0)
  h.write(name, 0, 100, 'ascii')
  h.write(octal(0o644, 8), 100, 8, 'ascii')
  h.write(octal(0, 8), 108, 8, 'ascii')
  h.write(octal(0, 8), 116, 8, 'ascii')
  h.write(octal(size, 12), 124, 12, 'ascii')
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12, 'ascii')
  h.write('        ', 148, 8, 'ascii')
  h.write('0', 156, 1, 'ascii')
  h.write('ustar\0', 257, 6, 'ascii')
  h.write('00', 263, 2, 'ascii')
  h.write('posko', 265, 32, 'ascii')
  h.write('posko', 297, 32, 'ascii')
  let sum = 0
  for (const byte of h) sum += byte
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii')
  return h
}

export function tarArchive(entries: readonly TarEntry[], now = new Date()): Buffer {
  const parts: Buffer[] = []
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data
    parts.push(header(entry.name, data.length, entry.mtime ?? now), data)
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK
    if (pad > 0) parts.push(Buffer.alloc(pad, 0))
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0))
  return Buffer.concat(parts)
}

/** Reads back what `tarArchive` writes (tests, and a check before the archive leaves the kiosk). */
export function readTar(archive: Buffer): Array<{ name: string; data: Buffer }> {
  const out: Array<{ name: string; data: Buffer }> = []
  let offset = 0
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK)
    if (h.every((b) => b === 0)) break
    const name = h.subarray(0, 100).toString('ascii').replace(/\0.*$/s, '')
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, ''), 8)
    offset += BLOCK
    out.push({ name, data: archive.subarray(offset, offset + size) })
    offset += Math.ceil(size / BLOCK) * BLOCK
  }
  return out
}
