import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

/** A registration post as central knows it. The token is the post's bearer secret (from enrolment). */
export const Post = z.strictObject({
  postId: z.string().regex(/^[A-Z0-9-]{2,20}$/),
  name: z.string().min(1).max(120),
  regencyCode: z.string().regex(/^\d{2}\.\d{2}$/),
  token: z.string().regex(/^[A-Za-z0-9._~+/=-]{16,200}$/),
})
export type Post = z.infer<typeof Post>

export const PostsFile = z.array(Post).superRefine((posts, ctx) => {
  const ids = new Set<string>()
  const tokens = new Set<string>()
  posts.forEach((p, i) => {
    if (ids.has(p.postId)) ctx.addIssue({ code: 'custom', path: [i, 'postId'], message: `duplicate postId ${p.postId}` })
    if (tokens.has(p.token)) ctx.addIssue({ code: 'custom', path: [i, 'token'], message: 'duplicate token' })
    ids.add(p.postId)
    tokens.add(p.token)
  })
})

export const postsPath = (dataDir: string) => join(dataDir, 'posts.json')

export function readPosts(dataDir: string): Post[] | null {
  const file = postsPath(dataDir)
  if (!existsSync(file)) return null
  const parsed = PostsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

/** Written whole then renamed, so a crash never leaves half a file; 0600 because it holds every post's token. */
export function writePosts(dataDir: string, posts: readonly Post[]): string {
  const file = postsPath(dataDir)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(PostsFile.parse(posts), null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, file)
  return file
}

/**
 * Token → post. Looked up by the token's SHA-256 so the comparison is a hash-map hit on a digest, not a
 * character-by-character string compare whose timing would leak how much of a guessed token was right.
 */
export function tokenIndex(posts: readonly Post[]): (token: string) => Post | undefined {
  const digest = (token: string) => createHash('sha256').update(token).digest('base64')
  const byDigest = new Map(posts.map((p) => [digest(p.token), p]))
  return (token) => byDigest.get(digest(token))
}
