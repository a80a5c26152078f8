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

/**
 * A NIK as people read it aloud from a KTP: four groups of four ("3578 0157 0895 0012"). Only for reading: the
 * record stores the 16 digits (issue 19). Anything that is not 16 digits is shown as it is.
 */
export function formatNik(nik: string): string {
  return /^\d{16}$/.test(nik) ? nik.replace(/(\d{4})(?=\d)/g, '$1 ') : nik
}

/**
 * An Indonesian mobile number as people read it out: national form, 4-4-rest ("0813-3012-4455"), from the stored
 * E.164 ("+6281330124455"). Anything else is shown as it is.
 */
export function formatPhone(phone: string): string {
  const match = /^\+62(8\d{8,12})$/.exec(phone)
  if (!match?.[1]) return phone
  const national = `0${match[1]}`
  return [national.slice(0, 4), national.slice(4, 8), national.slice(8)].filter(Boolean).join('-')
}
