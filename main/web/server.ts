import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Kiosk } from '../services/kiosk'
import type { Logger } from '../services/platform/logger'
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppPath } from '../window-policy'

/**
 * Browser mode (development and demos only): serves the built renderer and bridges `window.posko` to the same
 * `dispatch()` main uses, over HTTP on 127.0.0.1. Calls need the per-launch token, and the Host header must be
 * the loopback address, so neither another local user's page nor a DNS-rebinding site can drive the kiosk.
 */
export interface WebServerOptions {
  rendererDir: string
  bridgeFile: string
  /** Omit for a static-only server (the Playwright harness bridges through `exposeBinding` instead). */
  kiosk?: Kiosk
  logger: Logger
  port?: number
  token?: string
}

export interface WebServer {
  readonly url: string
  readonly token: string
  readonly server: Server
  close(): Promise<void>
}

export const BRIDGE_PATH = '/__posko/bridge.js'
const RPC_PREFIX = '/__posko/rpc/'
const EVENTS_PATH = '/__posko/events'
const MAX_BODY = 16 * 1024 * 1024

function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  })
  res.end(body)
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const { kiosk, logger } = options
  let allowedHosts: Set<string> = new Set()
  const streams = new Set<ServerResponse>()
  const unsubscribe = kiosk?.events.subscribe((name, payload) => {
    const frame = `event: message\ndata: ${JSON.stringify({ name, payload })}\n\n`
    for (const res of streams) res.write(frame)
  })

  const serveIndex = async (res: ServerResponse) => {
    const html = await readFile(resolveAppPath(options.rendererDir, `${APP_ORIGIN}/index.html`) as string, 'utf8')
    // The bridge must run before the app's module script, so it goes first in <head>.
    send(res, 200, html.replace('<head>', `<head>\n    <script src="${BRIDGE_PATH}"></script>`), 'text/html; charset=utf-8')
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 421, 'Misdirected request')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'POST' && url.pathname.startsWith(RPC_PREFIX)) {
      if (!kiosk || !sameToken(req.headers['x-posko-token'] as string | undefined, token)) {
        return send(res, 403, 'Forbidden')
      }
      const body = await readBody(req)
      if (body === null) return send(res, 413, 'Payload too large')
      let input: unknown
      try {
        input = body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as { input?: unknown }).input
      } catch {
        return send(res, 400, 'Bad JSON')
      }
      const channel = decodeURIComponent(url.pathname.slice(RPC_PREFIX.length))
      const result = await kiosk.dispatch(channel, input, { transport: 'web' })
      return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8')
    }
    if (req.method === 'GET' && url.pathname === EVENTS_PATH) {
      if (!kiosk || !sameToken(url.searchParams.get('token'), token)) return send(res, 403, 'Forbidden')
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(': connected\n\n')
      streams.add(res)
      req.on('close', () => streams.delete(res))
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
    if (url.pathname === BRIDGE_PATH) {
      return send(res, 200, await readFile(options.bridgeFile), 'text/javascript; charset=utf-8')
    }
    if (url.pathname === '/' || url.pathname === '/index.html') return serveIndex(res)
    // The same path rules as the kiosk's app:// protocol: only the request's path is ours to map.
    const file = resolveAppPath(options.rendererDir, `${APP_ORIGIN}${url.pathname}`)
    if (file === null) return send(res, 404, 'Not found')
    try {
      return send(res, 200, await readFile(file), mimeTypeFor(file))
    } catch {
      return send(res, 404, 'Not found')
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('browser-mode request failed', { error: String(error) })
      if (!res.headersSent) send(res, 500, 'Internal error')
      else res.end()
    })
  })
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  const { port } = server.address() as AddressInfo
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        unsubscribe?.()
        for (const res of streams) res.end()
        server.close(() => resolveClose())
        server.closeAllConnections()
      }),
  }
}
