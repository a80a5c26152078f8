import { z } from 'zod'
import type { UpdateChannel } from '../../../common/operations'
import { PostId } from '../platform/identity'

/**
 * Pilot posts get a release first (docs/updates.md). The list lives on the update server, beside the feed, so IT
 * moves a post in or out of the pilot by editing one file instead of visiting 56 kiosks.
 */
export const PILOT_POSTS_FILE = 'pilot-posts.json'

export const PilotPostsFile = z.object({ posts: z.array(PostId).max(1000) })

export function channelFor(postId: string, pilotPosts: readonly string[]): UpdateChannel {
  return pilotPosts.includes(postId) ? 'pilot' : 'latest'
}

const MAX_BYTES = 64 * 1024

/**
 * `<feed>/pilot-posts.json`. A 404 means no pilot is running (every post on `latest`); anything else that isn't a
 * valid list is "don't know" (null), and the caller keeps the channel it had, so a broken file or a flaky link
 * can't bounce a pilot post between channels.
 */
export async function fetchPilotPosts(options: { feedUrl: string; fetch?: typeof fetch; timeoutMs?: number }): Promise<string[] | null> {
  const doFetch = options.fetch ?? fetch
  const url = new URL(PILOT_POSTS_FILE, options.feedUrl.endsWith('/') ? options.feedUrl : `${options.feedUrl}/`)
  try {
    const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000), redirect: 'error', headers: { 'cache-control': 'no-cache' } })
    if (response.status === 404) return []
    if (!response.ok) return null
    const text = await response.text()
    if (text.length > MAX_BYTES) return null
    const parsed = PilotPostsFile.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data.posts : null
  } catch {
    return null
  }
}
