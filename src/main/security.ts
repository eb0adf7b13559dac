// Security decisions of the Electron shell and the browser-edition server, as small pure
// functions so each one is unit-tested (tests/unit/security.test.ts) and the handlers that
// use them stay one-liners.
import { timingSafeEqual } from 'node:crypto'
import { APP_SCHEME } from './app-url'

/**
 * The renderer's Content-Security-Policy, sent as a header by both editions.
 * style-src needs 'unsafe-inline': Svelte transitions and the reader's positioned highlights
 * write inline `style` attributes, which a CSP without it silently drops. Scripts stay 'self'
 * only, so injected markup still cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'"
].join('; ')

function parseUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/** The URL without its query and fragment: what names the page itself. */
function pageOf(url: URL): string {
  const page = new URL(url.href)
  page.search = ''
  page.hash = ''
  return page.href
}

/**
 * Whether the app window may show `targetUrl`: only the app's own page (app://quire/index.html
 * of the build, or the dev server's origin). Anything else — a file:// URL, a dropped file, a
 * link in a text, an injected redirect — would run outside the app's CSP and preload contract.
 */
export function isAllowedNavigation(targetUrl: string, appUrl: string): boolean {
  const target = parseUrl(targetUrl)
  const app = parseUrl(appUrl)
  if (!target || !app) return false
  // Node's URL gives a custom scheme no origin ("null"), so compare the whole page instead:
  // scheme, user info, host, port and path; the router lives in the fragment.
  if (app.protocol === `${APP_SCHEME}:`) return pageOf(target) === pageOf(app)
  if (app.protocol === 'http:' || app.protocol === 'https:') return target.origin === app.origin
  return false
}

/** IPC is answered only for frames showing the app itself (checked with the frame identity in ipc.ts). */
export function isTrustedSenderUrl(senderUrl: string | undefined, appUrl: string): boolean {
  return senderUrl !== undefined && isAllowedNavigation(senderUrl, appUrl)
}

/** Links opened from the app go to the OS browser, and only when they are plain web links. */
export function isExternalWebLink(url: string): boolean {
  const parsed = parseUrl(url)
  return parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === ''
}

/** Hosts the browser edition answers to: it only ever listens on 127.0.0.1. */
function loopbackAuthorities(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/**
 * Refuses any Host header but our loopback address and port: a page on an attacker's domain
 * that re-resolves its name to 127.0.0.1 (DNS rebinding) still sends its own name as Host.
 */
export function checkHost(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false
  return loopbackAuthorities(port).includes(hostHeader.toLowerCase())
}

/**
 * For state-changing requests: an Origin, when the browser sends one, must be our own.
 * "null" (sandboxed frames, file:// pages) is refused too.
 */
export function checkOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true
  return loopbackAuthorities(port).some((authority) => originHeader.toLowerCase() === `http://${authority}`)
}

/**
 * Sec-Fetch-Site must be same-origin (or "none": typed by the user). "same-site" is refused
 * too because every port on 127.0.0.1 is the same *site*, so another local web app would pass.
 */
export function checkFetchSite(secFetchSite: string | undefined): boolean {
  if (secFetchSite === undefined) return true
  return secFetchSite === 'same-origin' || secFetchSite === 'none'
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined || token.length === 0) return false
  const candidateBytes = Buffer.from(candidate, 'utf8')
  const tokenBytes = Buffer.from(token, 'utf8')
  return candidateBytes.length === tokenBytes.length && timingSafeEqual(candidateBytes, tokenBytes)
}

/** Value of one cookie in a Cookie header, or undefined. */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=')
    if (separator < 0) continue
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim()
  }
  return undefined
}
