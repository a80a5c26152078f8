/**
 * BENCHMARKS.md's sections. A bench's starts with `<!-- bench:<name> -->`; anything else that starts with a comment
 * line (`<!-- manual:<name> -->` by convention: figures no bench measures, such as `npm run soak`'s or the input
 * counts) was written by hand. Each runs to the next comment line at the start of a line, so a hand-written part is
 * never taken for the end of the bench section before it: a section with a marker of another shape was once
 * swallowed by the photos bench's rewrite.
 */
const PARTS = /^(?=<!-- .* -->$)/m
const BENCH = /^<!-- bench:([a-z-]+) -->$/

export const marker = (name: string) => `<!-- bench:${name} -->`

function parts(text: string): string[] {
  return text
    .split(PARTS)
    .filter((part) => part.startsWith('<!-- '))
    .map((part) => part.trimEnd())
}

/** The bench sections of `text`, by bench name. */
export function benchSections(text: string): Map<string, string> {
  const sections = new Map<string, string>()
  for (const part of parts(text)) {
    const m = BENCH.exec(part.split('\n')[0]!)
    if (m) sections.set(m[1]!, part)
  }
  return sections
}

/** The hand-written sections of `text`, in order, as they are. */
export function handSections(text: string): string[] {
  return parts(text).filter((part) => !BENCH.test(part.split('\n')[0]!))
}
