/**
 * Receipt numbers: post code + local day (yymmdd) + the day's sequence, e.g. JT-3578-01-261125-0042. Digits only
 * after the post code, so nothing can be misread (no O/0, I/1) when staff read it out over the phone.
 */
export function receiptDay(at: Date): string {
  const yy = String(at.getFullYear() % 100).padStart(2, '0')
  const mm = String(at.getMonth() + 1).padStart(2, '0')
  const dd = String(at.getDate()).padStart(2, '0')
  return `${yy}${mm}${dd}`
}

export function formatReceiptNo(postId: string, day: string, sequence: number): string {
  return `${postId}-${day}-${String(sequence).padStart(4, '0')}`
}
