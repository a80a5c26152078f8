/** Bytes as people read them on a stick's label or a file manager: "850 kB", "12,4 GB" (decimal units, the locale's comma). */
export function formatBytes(bytes: number, language: string): string {
  const units = [
    ['terabyte', 1e12],
    ['gigabyte', 1e9],
    ['megabyte', 1e6],
    ['kilobyte', 1e3],
  ] as const
  for (const [unit, size] of units) {
    if (bytes >= size) return new Intl.NumberFormat(language, { style: 'unit', unit, maximumFractionDigits: 1 }).format(bytes / size)
  }
  return new Intl.NumberFormat(language, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes)
}

/** The last part of a path the kiosk wrote, whichever separator its OS uses (the renderer has no node:path). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

/** The contract's check for a folder or file path (common/contract.ts AbsolutePath), run before sending. */
export function pathError(value: string): string | undefined {
  const trimmed = value.trim()
  if (trimmed === '') return 'validation.required'
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(trimmed) && trimmed.length <= 1024 ? undefined : 'tools.path.absolute'
}
