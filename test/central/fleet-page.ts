import { createHash } from 'node:crypto'
import type { FleetAnswer, FleetCredential, FleetPost } from '../../main/services/fleet/wire'

/**
 * IT's fleet page: one server-rendered table, no script (the CSP allows none). No automatic refresh: a page that
 * reloads under the reader fails WCAG 2.2.1 (axe: meta-refresh); the time it was generated is on it instead.
 * Indonesian first, English with ?lang=en (a link at the top switches). Posts with a problem come first, then the
 * ones that report in, busiest today first, then the never-seen; within a group by post code, so a post moves
 * only when its state does. Problems are marked in words as well as colour.
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
nav.lang { float: right; }
code { font-size: .95em; }
`.trim()

export const FLEET_STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`

export type FleetLang = 'id' | 'en'

const TEXT = {
  id: {
    title: 'Keadaan posko',
    switchTo: { href: '?lang=en', lang: 'en', label: 'English' },
    summary: (posts: number, problems: number, stale: number, hours: number, never: number, today: number) =>
      `${posts} posko · ${problems} bermasalah · ${stale} terlambat (tanpa kabar lebih dari ${hours} jam) · ${never} belum pernah terlihat · ${today} pendaftaran hari ini`,
    versions: 'versi',
    noVersions: 'belum ada',
    generated: 'dibuat',
    caption: 'Posko dan kabar terakhirnya, yang bermasalah dan yang aktif lebih dulu',
    columns: ['Posko', 'Nama', 'Keadaan', 'Pendaftaran hari ini', 'Versi', 'Antrean', 'Ditolak', 'Pengiriman', 'Kesalahan terakhir', 'Terakhir terlihat', 'Terakhir terkirim', 'Sisa ruang disk', 'Perlindungan kunci', 'Rantai audit', 'Masalah pembaruan'],
    state: { never: 'Belum ada kabar', stale: 'Terlambat', ok: 'Baik', problem: 'Bermasalah' },
    upload: { idle: 'siap', running: 'mengirim', waiting: 'menunggu', offline: 'tanpa sambungan', auth_error: 'token ditolak', not_configured: 'belum diatur' } as Record<string, string>,
    ago: { now: 'baru saja', min: (n: number) => `${n} menit lalu`, hours: (n: number) => `${n} jam lalu`, days: (n: number) => `${n} hari lalu` },
    keyNone: 'none: kunci tidak terlindungi',
    auditAlert: 'rantai audit ditulis ulang?',
    auditTitle: (from: number, to: number, credential: string) => `baris ${from} → ${to}, kredensial ${credential}`,
    credentials: 'Kredensial kiosk',
    credentialsIntro: 'Duplikat lintas posko: jawaban “sudah terdaftar di posko lain”; bila terus-menerus, sebuah kiosk sedang mencoba-coba NIK. Cabut kiosk dengan tautan “Cabut…” di barisnya atau <code>npm run central -- revoke &lt;key id&gt;</code>.',
    credentialsCaption: 'Kiosk terdaftar dan token posko dengan duplikat lintas posko',
    credentialColumns: (minutes: number) => ['Kredensial', 'Jenis', 'Posko', 'Keadaan', 'Belum aman', `Duplikat lintas posko (${minutes} menit terakhir)`, 'Duplikat lintas posko (semua)', 'Versi kiosk', 'Terdaftar', 'Tindakan'],
    notSafeTitle: (at: string) => `catatan yang belum dicadangkan di meja lain atau flashdisk, menurut kabar ${at}`,
    revokeLink: 'Cabut…',
    revokeLinkLabel: (keyId: string) => `Cabut kiosk ${keyId}`,
    revokeTitle: 'Cabut kiosk?',
    revokeText: (keyId: string, postId: string) =>
      `Kiosk <code>${keyId}</code> dari posko <code>${postId}</code> akan dicabut: tokennya ditolak server pusat, bundelnya tidak diterima lagi, dan meja lain di poskonya menolaknya sejak heartbeat berikutnya. Pencabutan tidak bisa dibatalkan: kiosk itu harus didaftarkan ulang dengan kode baru. Tindakan ini dicatat.`,
    revokeConfirm: 'Ya, cabut kiosk ini',
    revokeCancel: 'Batal, kembali ke keadaan posko',
    alreadyRevoked: (keyId: string, at: string) => `Kiosk <code>${keyId}</code> sudah dicabut (${at}).`,
    kind: { kiosk: 'kiosk', post_token: 'token posko' },
    revoked: 'Dicabut',
    limited: (minutes: number) => `Dibatasi (${minutes} menit)`,
    active: 'Aktif',
    noKiosks: 'Belum ada kiosk terdaftar.',
  },
  en: {
    title: 'Posko fleet',
    switchTo: { href: '?lang=id', lang: 'id', label: 'Bahasa Indonesia' },
    summary: (posts: number, problems: number, stale: number, hours: number, never: number, today: number) =>
      `${posts} posts · ${problems} with a problem · ${stale} stale (no heartbeat for over ${hours} h) · ${never} never seen · ${today} registrations today`,
    versions: 'versions',
    noVersions: 'none reported',
    generated: 'generated',
    caption: 'Posts and their latest heartbeat',
    columns: ['Post', 'Name', 'State', 'Registrations today', 'Version', 'Queue', 'Rejected', 'Upload', 'Last error', 'Last seen', 'Last sync', 'Disk free', 'Key protection', 'Audit chain', 'Update problem'],
    state: { never: 'No heartbeat yet', stale: 'Stale', ok: 'OK', problem: 'Problem' },
    upload: {} as Record<string, string>,
    ago: { now: 'just now', min: (n: number) => `${n} min ago`, hours: (n: number) => `${n} h ago`, days: (n: number) => `${n} d ago` },
    keyNone: 'none: key unprotected',
    auditAlert: 'audit chain rewritten?',
    auditTitle: (from: number, to: number, credential: string) => `seq ${from} → ${to}, credential ${credential}`,
    credentials: 'Kiosk credentials',
    credentialsIntro: 'Cross-post duplicates: answers of “registered at another post”; a stream of them is a kiosk probing NIKs. Revoke a kiosk with the “Revoke…” link on its row or <code>npm run central -- revoke &lt;key id&gt;</code>.',
    credentialsCaption: 'Enrolled kiosks and post tokens with cross-post duplicates',
    credentialColumns: (minutes: number) => ['Credential', 'Kind', 'Post', 'State', 'Not yet safe', `Cross-post duplicates (last ${minutes} min)`, 'Cross-post duplicates (all)', 'Kiosk version', 'Enrolled', 'Action'],
    notSafeTitle: (at: string) => `records no other desk nor the backup stick holds yet, as of the heartbeat at ${at}`,
    revokeLink: 'Revoke…',
    revokeLinkLabel: (keyId: string) => `Revoke kiosk ${keyId}`,
    revokeTitle: 'Revoke kiosk?',
    revokeText: (keyId: string, postId: string) =>
      `Kiosk <code>${keyId}</code> of post <code>${postId}</code> will be revoked: central refuses its token and its bundles, and its post's other desks refuse it from their next heartbeat. There is no undo: the kiosk must be enrolled again with a new code. This action is recorded.`,
    revokeConfirm: 'Yes, revoke this kiosk',
    revokeCancel: 'Cancel, back to the fleet',
    alreadyRevoked: (keyId: string, at: string) => `Kiosk <code>${keyId}</code> was already revoked (${at}).`,
    kind: { kiosk: 'kiosk', post_token: 'post token' },
    revoked: 'Revoked',
    limited: (minutes: number) => `Limited (${minutes} min)`,
    active: 'Active',
    noKiosks: 'No enrolled kiosks yet.',
  },
} as const

type Text = (typeof TEXT)[FleetLang]

export function fleetLang(value: string | null): FleetLang {
  return value === 'en' ? 'en' : 'id'
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function ago(text: Text, iso: string | null, now: number): string {
  if (iso === null) return '—'
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000))
  const words = minutes < 1 ? text.ago.now : minutes < 120 ? text.ago.min(minutes) : minutes < 2880 ? text.ago.hours(Math.round(minutes / 60)) : text.ago.days(Math.round(minutes / 1440))
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${words}</time>`
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

/**
 * What IT should look at first: a post that went quiet, or reports an unprotected key, a rewritten audit chain, a
 * refused update, an upload it can't do, or records central rejected.
 */
export function hasProblem(post: FleetPost): boolean {
  const hb = post.heartbeat
  if (post.lastSeenAt !== null && post.stale) return true
  if (post.auditAlert) return true
  if (!hb) return false
  return hb.keyProtection === 'none' || Boolean(hb.updateError) || Boolean(hb.lastError) || (hb.queue.rejected ?? 0) > 0 || hb.uploadStatus === 'auth_error' || hb.uploadStatus === 'not_configured'
}

/** Problems first, then posts that report in (busiest today first), then the never-seen; by post code within each. */
export function fleetOrder(posts: readonly FleetPost[], today: ReadonlyMap<string, number>): FleetPost[] {
  const group = (p: FleetPost) => (hasProblem(p) ? 0 : p.lastSeenAt !== null ? 1 : 2)
  return [...posts].sort((a, b) => group(a) - group(b) || (today.get(b.postId) ?? 0) - (today.get(a.postId) ?? 0) || a.postId.localeCompare(b.postId))
}

function row(text: Text, post: FleetPost, now: number, today: number): string {
  const hb = post.heartbeat
  const state = post.lastSeenAt === null ? 'never' : post.stale ? 'stale' : 'ok'
  const problem = state === 'ok' && hasProblem(post)
  const badge = problem ? `<span class="badge alert">${text.state.problem}</span>` : `<span class="badge ${state}">${text.state[state]}</span>`
  const depth = queueDepth(post)
  const cells = [
    `<th scope="row"><code>${escapeHtml(post.postId)}</code></th>`,
    `<td>${escapeHtml(post.name)}</td>`,
    `<td>${badge}</td>`,
    `<td class="num">${today}</td>`,
    `<td>${hb ? escapeHtml(hb.version) : '—'}</td>`,
    `<td class="num">${depth ?? '—'}</td>`,
    `<td class="num">${hb ? (hb.queue.rejected ?? 0) : '—'}</td>`,
    `<td>${hb ? escapeHtml(text.upload[hb.uploadStatus] ?? hb.uploadStatus) : '—'}</td>`,
    `<td>${hb?.lastError ? `<code>${escapeHtml(hb.lastError)}</code>` : '—'}</td>`,
    `<td>${ago(text, post.lastSeenAt, now)}</td>`,
    `<td>${ago(text, hb?.lastSyncAt ?? null, now)}</td>`,
    `<td class="num">${bytes(hb?.diskFreeBytes)}</td>`,
    keyCell(text, hb?.keyProtection),
    auditCell(text, post.auditAlert),
    hb?.updateError ? `<td class="alert"><span class="badge alert">${escapeHtml(hb.updateError)}</span></td>` : '<td>—</td>',
  ]
  return `<tr class="${state}" data-post="${escapeHtml(post.postId)}">${cells.join('')}</tr>`
}

/** `none`: the vault key lies beside the data unprotected (issue 17.1), so it stands out in words and colour. */
function keyCell(text: Text, protection: string | null | undefined): string {
  if (protection === null || protection === undefined) return '<td>—</td>'
  if (protection === 'none') return `<td class="alert"><span class="badge alert">${text.keyNone}</span></td>`
  return `<td>${escapeHtml(protection)}</td>`
}

function auditCell(text: Text, alert: FleetPost['auditAlert']): string {
  if (!alert) return '<td>—</td>'
  const title = text.auditTitle(alert.previous.seq, alert.reported.seq, alert.credential)
  return `<td class="alert"><span class="badge alert" title="${escapeHtml(title)}">${text.auditAlert}</span> <time datetime="${escapeHtml(alert.at)}">${escapeHtml(alert.at)}</time></td>`
}

/** Issue 22: a desk's records that would be lost with its disk; a count above zero stands out. */
function notSafeCell(text: Text, said: FleetCredential['notSafe']): string {
  if (!said) return '<td class="num">—</td>'
  const title = escapeHtml(text.notSafeTitle(said.at))
  return said.count > 0
    ? `<td class="num alert" data-not-safe="${said.count}" title="${title}"><span class="badge alert">${said.count}</span></td>`
    : `<td class="num" data-not-safe="0" title="${title}">0</td>`
}

function credentialRow(text: Text, c: FleetCredential, now: number): string {
  const active = c.revokedAt === null && c.limitedForSeconds === null
  const state = c.revokedAt !== null ? text.revoked : c.limitedForSeconds !== null ? text.limited(Math.ceil(c.limitedForSeconds / 60)) : text.active
  const cells = [
    `<th scope="row"><code>${escapeHtml(c.credential)}</code></th>`,
    `<td>${text.kind[c.kind]}</td>`,
    `<td><code>${escapeHtml(c.postId)}</code></td>`,
    `<td>${active ? state : `<span class="badge alert">${escapeHtml(state)}</span>`}</td>`,
    notSafeCell(text, c.notSafe),
    `<td class="num">${c.crossPostDuplicates.window}</td>`,
    `<td class="num">${c.crossPostDuplicates.total}</td>`,
    `<td>${c.kioskVersion === null ? '—' : escapeHtml(c.kioskVersion)}</td>`,
    `<td>${ago(text, c.enrolledAt, now)}</td>`,
    // A link to a confirmation page, not a button here: the page runs no script, and revoking cannot be undone.
    `<td>${
      c.kind === 'kiosk' && c.revokedAt === null
        ? `<a href="/fleet/revoke?kiosk=${encodeURIComponent(c.credential)}${text === TEXT.en ? '&amp;lang=en' : ''}" aria-label="${escapeHtml(text.revokeLinkLabel(c.credential))}">${text.revokeLink}</a>`
        : ''
    }</td>`,
  ]
  return `<tr data-credential="${escapeHtml(c.credential)}">${cells.join('')}</tr>`
}

export interface FleetPageOptions {
  lang?: FleetLang
  /** Registrations central accepted today, per post. */
  registrationsToday?: ReadonlyMap<string, number>
}

export function renderFleetPage(fleet: FleetAnswer, options: FleetPageOptions = {}): { html: string; styleHash: string } {
  const lang = options.lang ?? 'id'
  const text = TEXT[lang]
  const today = options.registrationsToday ?? new Map<string, number>()
  const now = Date.parse(fleet.generatedAt)
  const stale = fleet.posts.filter((p) => p.stale && p.lastSeenAt !== null).length
  const never = fleet.posts.filter((p) => p.lastSeenAt === null).length
  const problems = fleet.posts.filter(hasProblem).length
  const todayTotal = [...today.values()].reduce((a, b) => a + b, 0)
  const versions = [...new Set(fleet.posts.flatMap((p) => (p.heartbeat ? [p.heartbeat.version] : [])))].sort()
  const th = (label: string) => `<th scope="col">${escapeHtml(label)}</th>`
  const html = `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<nav class="lang" aria-label="Language / Bahasa"><a href="${text.switchTo.href}" lang="${text.switchTo.lang}" hreflang="${text.switchTo.lang}">${text.switchTo.label}</a></nav>
<h1>${text.title}</h1>
<p class="summary">${text.summary(fleet.posts.length, problems, stale, fleet.staleAfterHours, never, todayTotal)} · ${text.versions}: ${
    versions.length ? versions.map((v) => `<code>${escapeHtml(v)}</code>`).join(', ') : text.noVersions
  } · ${text.generated} ${ago(text, fleet.generatedAt, now)}</p>
<table>
<caption>${text.caption}</caption>
<thead><tr>
${text.columns.map(th).join('')}
</tr></thead>
<tbody>
${fleetOrder(fleet.posts, today).map((p) => row(text, p, now, today.get(p.postId) ?? 0)).join('\n')}
</tbody>
</table>
<h2>${text.credentials}</h2>
<p>${text.credentialsIntro}</p>
<table>
<caption>${text.credentialsCaption}</caption>
<thead><tr>
${text.credentialColumns(fleet.duplicateWindowMinutes).map(th).join('')}
</tr></thead>
<tbody>
${fleet.credentials.length ? fleet.credentials.map((c) => credentialRow(text, c, now)).join('\n') : `<tr><td colspan="10">${text.noKiosks}</td></tr>`}
</tbody>
</table>
</main>
</body>
</html>
`
  return { html, styleHash: FLEET_STYLE_HASH }
}

/**
 * The revoke confirmation (issue 21.1): what revoking does, and a form that POSTs the kiosk with `confirm`, a MAC of
 * it under the admin token only this page can give, so no other site can make IT's browser revoke a kiosk (the
 * admin cookie is SameSite=Strict too) and nothing revokes without passing here. No script, like the fleet page.
 */
export function renderRevokeConfirm(
  kiosk: { keyId: string; postId: string; revokedAt: string | null },
  confirm: string,
  lang: FleetLang,
): { html: string; styleHash: string } {
  const text = TEXT[lang]
  const back = lang === 'en' ? '/fleet?lang=en' : '/fleet'
  const body =
    kiosk.revokedAt !== null
      ? `<p>${text.alreadyRevoked(escapeHtml(kiosk.keyId), escapeHtml(kiosk.revokedAt))}</p>
<p><a href="${back}">${text.revokeCancel}</a></p>`
      : `<p>${text.revokeText(escapeHtml(kiosk.keyId), escapeHtml(kiosk.postId))}</p>
<form method="post" action="/fleet/revoke${lang === 'en' ? '?lang=en' : ''}">
<input type="hidden" name="kiosk" value="${escapeHtml(kiosk.keyId)}">
<input type="hidden" name="confirm" value="${escapeHtml(confirm)}">
<button type="submit">${text.revokeConfirm}</button>
</form>
<p><a href="${back}">${text.revokeCancel}</a></p>`
  const html = `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.revokeTitle}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${text.revokeTitle}</h1>
${body}
</main>
</body>
</html>
`
  return { html, styleHash: FLEET_STYLE_HASH }
}
