// Decides, before anything else runs, whether the browser edition answers a request. Pure:
// the HTTP server only carries out the verdict.
import { checkFetchSite, checkHost, checkOrigin, readCookie, tokenMatches } from '../main/security'

export const TOKEN_QUERY_PARAMETER = 'token'
export const TOKEN_HEADER = 'x-quire-token'

/**
 * Cookies are scoped by host, not port, so two browser editions running at once would
 * overwrite each other's `quire_token` and the first tab would start failing with 401.
 * The port in the name keeps each launch's cookie apart.
 */
export function tokenCookieName(port: number): string {
  return `quire_token_${port}`
}

export interface GuardedRequest {
  method: string
  /** Request target as sent, e.g. "/api/getSettings" or "/?token=…". */
  url: string
  headers: Record<string, string | string[] | undefined>
}

export interface ServerIdentity {
  port: number
  token: string
}

export type AccessVerdict =
  | { kind: 'allow'; pathname: string }
  /** First page load with a correct ?token=: remember it in a cookie and take it out of the address bar. */
  | { kind: 'store-token-and-redirect'; location: string; setCookie: string }
  | { kind: 'refuse'; status: 400 | 401 | 403 | 405 | 421; reason: string }

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function decideAccess(request: GuardedRequest, server: ServerIdentity): AccessVerdict {
  const host = singleHeader(request.headers.host)
  if (!checkHost(host, server.port)) {
    return { kind: 'refuse', status: 421, reason: `This Quire server only answers to 127.0.0.1:${server.port}` }
  }
  if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'POST') {
    return { kind: 'refuse', status: 405, reason: `Method ${request.method} is not allowed` }
  }
  let url: URL
  try {
    url = new URL(request.url, `http://${host}`)
  } catch {
    return { kind: 'refuse', status: 400, reason: 'Malformed request URL' }
  }
  if (request.method === 'POST') {
    if (!checkOrigin(singleHeader(request.headers.origin), server.port)) {
      return { kind: 'refuse', status: 403, reason: 'Cross-origin requests are refused' }
    }
    if (!checkFetchSite(singleHeader(request.headers['sec-fetch-site']))) {
      return { kind: 'refuse', status: 403, reason: 'Cross-site requests are refused' }
    }
  }

  const tokenInQuery = url.searchParams.get(TOKEN_QUERY_PARAMETER)
  if (tokenInQuery !== null) {
    if (request.method !== 'GET' || !tokenMatches(tokenInQuery, server.token)) {
      return { kind: 'refuse', status: 401, reason: 'This link is not valid for this Quire server' }
    }
    url.searchParams.delete(TOKEN_QUERY_PARAMETER)
    return {
      kind: 'store-token-and-redirect',
      location: url.pathname + url.search,
      setCookie: `${tokenCookieName(server.port)}=${server.token}; HttpOnly; SameSite=Strict; Path=/`
    }
  }

  const presented =
    singleHeader(request.headers[TOKEN_HEADER]) ??
    readCookie(singleHeader(request.headers.cookie), tokenCookieName(server.port))
  if (!tokenMatches(presented, server.token)) {
    return {
      kind: 'refuse',
      status: 401,
      reason: 'Open Quire with the link printed when it started (it carries a per-launch token)'
    }
  }
  return { kind: 'allow', pathname: url.pathname }
}
