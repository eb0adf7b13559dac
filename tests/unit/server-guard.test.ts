import { describe, expect, it } from 'vitest'
import { decideAccess, tokenCookieName, type GuardedRequest } from '../../src/server/request-guard'

const server = { port: 4242, token: 'T0ken-of-this-launch_0123456789abcdefghijklm' }
const host = '127.0.0.1:4242'

function request(overrides: Partial<GuardedRequest> & { headers?: GuardedRequest['headers'] }): GuardedRequest {
  return { method: 'GET', url: '/', ...overrides, headers: { host, ...overrides.headers } }
}

describe('decideAccess', () => {
  it('turns the printed link into a cookie and a clean address', () => {
    const verdict = decideAccess(request({ url: `/?token=${server.token}` }), server)
    expect(verdict).toEqual({
      kind: 'store-token-and-redirect',
      location: '/',
      setCookie: `quire_token_4242=${server.token}; HttpOnly; SameSite=Strict; Path=/`
    })
  })

  it('keeps other query parameters when stripping the token', () => {
    const verdict = decideAccess(request({ url: `/index.html?doc=d1&token=${server.token}#x` }), server)
    expect(verdict).toMatchObject({ kind: 'store-token-and-redirect', location: '/index.html?doc=d1' })
  })

  it('refuses a wrong token in the link', () => {
    expect(decideAccess(request({ url: '/?token=guess' }), server)).toMatchObject({ kind: 'refuse', status: 401 })
    expect(decideAccess(request({ url: '/?token=' }), server)).toMatchObject({ kind: 'refuse', status: 401 })
  })

  it('refuses the token in the query of a POST (it would end up in logs and history)', () => {
    const verdict = decideAccess(request({ method: 'POST', url: `/api/getSettings?token=${server.token}` }), server)
    expect(verdict).toMatchObject({ kind: 'refuse', status: 401 })
  })

  it('allows requests carrying the cookie or the header', () => {
    const withCookie = request({ url: '/assets/app.js', headers: { cookie: `other=1; ${tokenCookieName(4242)}=${server.token}` } })
    expect(decideAccess(withCookie, server)).toEqual({ kind: 'allow', pathname: '/assets/app.js' })
    const withHeader = request({ method: 'POST', url: '/api/getSettings', headers: { 'x-quire-token': server.token } })
    expect(decideAccess(withHeader, server)).toEqual({ kind: 'allow', pathname: '/api/getSettings' })
  })

  it('refuses requests without a token or with another launch’s cookie', () => {
    expect(decideAccess(request({ url: '/' }), server)).toMatchObject({ kind: 'refuse', status: 401 })
    const otherLaunch = request({ url: '/', headers: { cookie: `${tokenCookieName(4242)}=stale` } })
    expect(decideAccess(otherLaunch, server)).toMatchObject({ kind: 'refuse', status: 401 })
    const otherPort = request({ url: '/', headers: { cookie: `${tokenCookieName(4243)}=${server.token}` } })
    expect(decideAccess(otherPort, server)).toMatchObject({ kind: 'refuse', status: 401 })
  })

  it('refuses a foreign Host before looking at the token (DNS rebinding)', () => {
    const rebound = request({ url: `/?token=${server.token}`, headers: { host: 'attacker.example:4242' } })
    expect(decideAccess(rebound, server)).toMatchObject({ kind: 'refuse', status: 421 })
    const noHost: GuardedRequest = { method: 'GET', url: '/', headers: {} }
    expect(decideAccess(noHost, server)).toMatchObject({ kind: 'refuse', status: 421 })
  })

  it('refuses cross-origin and cross-site POSTs even with the right token', () => {
    const headers = { 'x-quire-token': server.token }
    const crossOrigin = request({ method: 'POST', url: '/api/getSettings', headers: { ...headers, origin: 'http://evil.example' } })
    expect(decideAccess(crossOrigin, server)).toMatchObject({ kind: 'refuse', status: 403 })
    const crossSite = request({ method: 'POST', url: '/api/getSettings', headers: { ...headers, 'sec-fetch-site': 'cross-site' } })
    expect(decideAccess(crossSite, server)).toMatchObject({ kind: 'refuse', status: 403 })
    const sameOrigin = request({
      method: 'POST',
      url: '/api/getSettings',
      headers: { ...headers, origin: 'http://127.0.0.1:4242', 'sec-fetch-site': 'same-origin' }
    })
    expect(decideAccess(sameOrigin, server)).toMatchObject({ kind: 'allow' })
  })

  it('refuses methods it never uses', () => {
    for (const method of ['PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH']) {
      expect(decideAccess(request({ method, headers: { 'x-quire-token': server.token } }), server)).toMatchObject({
        kind: 'refuse',
        status: 405
      })
    }
  })
})
