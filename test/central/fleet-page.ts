import { createHash } from 'node:crypto'
import type { FleetAnswer, FleetCredential, FleetPost } from '../../main/services/fleet/wire'

/**
 * IT's fleet page: one server-rendered table, no script (the CSP allows none). No automatic refresh: a page that
 * reloads under the reader fails WCAG 2.2.1 (axe: meta-refresh); the time it was generated is on it instead.
 * Stale posts are marked in words as well as colour, and sorted nowhere: a post keeps its row, so IT finds it
 * where it was yesterday.
 */

const STYLE = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .25rem; }
p.summary { margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid #c9ced6; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.stale { background: #fff1c2; }
tr.never { background: #f3f4f6; color: #3d4450; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .25rem; font-weight: 600; }
.badge.ok { background: #d7f0dd; color: #14532d; }
.badge.stale { background: #8a4b00; color: #fff; }
.badge.never { background: #4b5563; color: #fff; }
.badge.alert { background: #9b1c1c; color: #fff; }
td.alert { background: #fde2e2; }
code { font-size: .95em; }
`.trim()

export const FLEET_STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function ago(iso: string | null, now: number): string {
  if (iso === null) return '—'
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000))
  const text = minutes < 1 ? 'just now' : minutes < 120 ? `${minutes} min ago` : minutes < 2880 ? `${Math.round(minutes / 60)} h ago` : `${Math.round(minutes / 1440)} d ago`
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${text}</time>`
}

function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  const gib = value / 1024 ** 3
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${Math.round(value / 1024 ** 2)} MiB`
}

/** Records still to go up: queued plus those in a batch right now. */
export function queueDepth(post: FleetPost): number | null {
  const q = post.heartbeat?.queue
  return q ? (q.queued ?? 0) + (q.uploading ?? 0) : null
}

function row(post: FleetPost, now: number): string {
  const hb = post.heartbeat
  const state = post.lastSeenAt === null ? 'never' : post.stale ? 'stale' : 'ok'
  const label = { never: 'No heartbeat yet', stale: 'Stale', ok: 'OK' }[state]
  const depth = queueDepth(post)
  const cells = [
    `<th scope="row"><code>${escapeHtml(post.postId)}</code></th>`,
    `<td>${escapeHtml(post.name)}</td>`,
    `<td><span class="badge ${state}">${label}</span></td>`,
    `<td>${hb ? escapeHtml(hb.version) : '—'}</td>`,
    `<td class="num">${depth ?? '—'}</td>`,
    `<td class="num">${hb ? (hb.queue.rejected ?? 0) : '—'}</td>`,
    `<td>${hb ? escapeHtml(hb.uploadStatus) : '—'}</td>`,
    `<td>${hb?.lastError ? `<code>${escapeHtml(hb.lastError)}</code>` : '—'}</td>`,
    `<td>${ago(post.lastSeenAt, now)}</td>`,
    `<td>${ago(hb?.lastSyncAt ?? null, now)}</td>`,
    `<td class="num">${bytes(hb?.diskFreeBytes)}</td>`,
    keyCell(hb?.keyProtection),
    auditCell(post.auditAlert),
    hb?.updateError ? `<td class="alert"><span class="badge alert">${escapeHtml(hb.updateError)}</span></td>` : '<td>—</td>',
  ]
  return `<tr class="${state}" data-post="${escapeHtml(post.postId)}">${cells.join('')}</tr>`
}

/** `none`: the vault key lies beside the data unprotected (issue 17.1), so it stands out in words and colour. */
function keyCell(protection: string | null | undefined): string {
  if (protection === null || protection === undefined) return '<td>—</td>'
  if (protection === 'none') return '<td class="alert"><span class="badge alert">none: key unprotected</span></td>'
  return `<td>${escapeHtml(protection)}</td>`
}

function auditCell(alert: FleetPost['auditAlert']): string {
  if (!alert) return '<td>—</td>'
  const title = `seq ${alert.previous.seq} → ${alert.reported.seq}, credential ${alert.credential}`
  return `<td class="alert"><span class="badge alert" title="${escapeHtml(title)}">audit chain rewritten?</span> <time datetime="${escapeHtml(alert.at)}">${escapeHtml(alert.at)}</time></td>`
}

function credentialRow(c: FleetCredential, now: number): string {
  const state = c.revokedAt !== null ? 'Revoked' : c.limitedForSeconds !== null ? `Limited (${Math.ceil(c.limitedForSeconds / 60)} min)` : 'Active'
  const cells = [
    `<th scope="row"><code>${escapeHtml(c.credential)}</code></th>`,
    `<td>${c.kind === 'kiosk' ? 'kiosk' : 'post token'}</td>`,
    `<td><code>${escapeHtml(c.postId)}</code></td>`,
    `<td>${state === 'Active' ? state : `<span class="badge alert">${escapeHtml(state)}</span>`}</td>`,
    `<td class="num">${c.crossPostDuplicates.window}</td>`,
    `<td class="num">${c.crossPostDuplicates.total}</td>`,
    `<td>${c.kioskVersion === null ? '—' : escapeHtml(c.kioskVersion)}</td>`,
    `<td>${ago(c.enrolledAt, now)}</td>`,
  ]
  return `<tr data-credential="${escapeHtml(c.credential)}">${cells.join('')}</tr>`
}

export function renderFleetPage(fleet: FleetAnswer): { html: string; styleHash: string } {
  const now = Date.parse(fleet.generatedAt)
  const stale = fleet.posts.filter((p) => p.stale && p.lastSeenAt !== null).length
  const never = fleet.posts.filter((p) => p.lastSeenAt === null).length
  const versions = [...new Set(fleet.posts.flatMap((p) => (p.heartbeat ? [p.heartbeat.version] : [])))].sort()
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Posko fleet</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Posko fleet</h1>
<p class="summary">${fleet.posts.length} posts · ${stale} stale (no heartbeat for over ${fleet.staleAfterHours} h) · ${never} never seen · versions: ${
    versions.length ? versions.map((v) => `<code>${escapeHtml(v)}</code>`).join(', ') : 'none reported'
  } · generated ${ago(fleet.generatedAt, now)}</p>
<table>
<caption>Posts and their latest heartbeat</caption>
<thead><tr>
<th scope="col">Post</th><th scope="col">Name</th><th scope="col">State</th><th scope="col">Version</th><th scope="col">Queue</th><th scope="col">Rejected</th><th scope="col">Upload</th><th scope="col">Last error</th><th scope="col">Last seen</th><th scope="col">Last sync</th><th scope="col">Disk free</th><th scope="col">Key protection</th><th scope="col">Audit chain</th><th scope="col">Update problem</th>
</tr></thead>
<tbody>
${fleet.posts.map((p) => row(p, now)).join('\n')}
</tbody>
</table>
<h2>Kiosk credentials</h2>
<p>Cross-post duplicates: answers of “registered at another post”; a stream of them is a kiosk probing NIKs. Revoke a kiosk with <code>npm run central -- revoke &lt;key id&gt;</code>.</p>
<table>
<caption>Enrolled kiosks and post tokens with cross-post duplicates</caption>
<thead><tr>
<th scope="col">Credential</th><th scope="col">Kind</th><th scope="col">Post</th><th scope="col">State</th><th scope="col">Cross-post duplicates (last ${fleet.duplicateWindowMinutes} min)</th><th scope="col">Cross-post duplicates (all)</th><th scope="col">Kiosk version</th><th scope="col">Enrolled</th>
</tr></thead>
<tbody>
${fleet.credentials.length ? fleet.credentials.map((c) => credentialRow(c, now)).join('\n') : '<tr><td colspan="8">No enrolled kiosks yet.</td></tr>'}
</tbody>
</table>
</main>
</body>
</html>
`
  return { html, styleHash: FLEET_STYLE_HASH }
}
