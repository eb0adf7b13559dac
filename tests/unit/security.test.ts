import { describe, expect, it } from 'vitest'
import {
  checkFetchSite,
  checkHost,
  checkOrigin,
  CONTENT_SECURITY_POLICY,
  isAllowedNavigation,
  isExternalWebLink,
  isTrustedSenderUrl,
  readCookie,
  tokenMatches
} from '../../src/main/security'

const builtApp = 'app://quire/index.html'
const devApp = 'http://localhost:5173/'

describe('isAllowedNavigation', () => {
  it.each([
    [builtApp, builtApp],
    [`${builtApp}#/documents/d1`, builtApp],
    [`${builtApp}?reload=1`, builtApp],
    ['http://localhost:5173/', devApp],
    ['http://localhost:5173/src/App.svelte?t=1', devApp]
  ])('allows the app page %s', (target, app) => {
    expect(isAllowedNavigation(target, app)).toBe(true)
  })

  it.each([
    ['file:///etc/passwd', builtApp],
    ['file:///opt/quire/resources/app.asar/out/renderer/index.html', builtApp],
    ['file:///home/ayla/interview.txt', builtApp],
    ['app://quire/other.html', builtApp],
    ['app://quire/assets/index.js', builtApp],
    ['app://quire/', builtApp],
    ['app://evil/index.html', builtApp],
    ['app://quire.evil/index.html', builtApp],
    ['app://quire:8080/index.html', builtApp],
    ['app://user@quire/index.html', builtApp],
    ['quire://quire/index.html', builtApp],
    ['https://quire/index.html', builtApp],
    ['https://example.com/', builtApp],
    ['http://localhost:5174/', devApp],
    ['http://127.0.0.1:5173/', devApp],
    ['https://localhost:5173/', devApp],
    [builtApp, devApp],
    ['javascript:alert(1)', builtApp],
    ['data:text/html,<script>alert(1)</script>', builtApp],
    ['not a url', builtApp],
    [builtApp, 'not a url'],
    [builtApp, 'chrome://settings']
  ])('refuses %s for app %s', (target, app) => {
    expect(isAllowedNavigation(target, app)).toBe(false)
  })

  it('no longer trusts any file:// page, not even the build\'s own index.html', () => {
    const builtFile = 'file:///opt/quire/resources/app.asar/out/renderer/index.html'
    expect(isAllowedNavigation(builtFile, builtFile)).toBe(false)
  })
})

describe('isTrustedSenderUrl', () => {
  it('needs a URL and the app page', () => {
    expect(isTrustedSenderUrl(undefined, builtApp)).toBe(false)
    expect(isTrustedSenderUrl('about:blank', builtApp)).toBe(false)
    expect(isTrustedSenderUrl('app://evil/index.html', builtApp)).toBe(false)
    expect(isTrustedSenderUrl('file:///opt/quire/resources/app.asar/out/renderer/index.html', builtApp)).toBe(false)
    expect(isTrustedSenderUrl(builtApp, builtApp)).toBe(true)
    expect(isTrustedSenderUrl(`${builtApp}#/documents/d1`, builtApp)).toBe(true)
  })
})

describe('isExternalWebLink', () => {
  it.each(['https://en.wikipedia.org/wiki/ISESCO', 'http://example.org/a?b=c'])('opens %s in the browser', (url) => {
    expect(isExternalWebLink(url)).toBe(true)
  })
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'https://user:pw@example.com/', 'nonsense'])(
    'never opens %s',
    (url) => {
      expect(isExternalWebLink(url)).toBe(false)
    }
  )
})

describe('checkHost', () => {
  it.each(['127.0.0.1:4242', 'localhost:4242', 'LOCALHOST:4242'])('accepts %s', (host) => {
    expect(checkHost(host, 4242)).toBe(true)
  })
  it.each([undefined, '', '127.0.0.1', '127.0.0.1:4243', 'evil.example:4242', 'attacker.com', '[::1]:4242', '127.0.0.1:4242.evil.com', '0.0.0.0:4242'])(
    'refuses %s (DNS rebinding, wrong port, missing)',
    (host) => {
      expect(checkHost(host, 4242)).toBe(false)
    }
  )
})

describe('checkOrigin', () => {
  it('accepts a missing Origin and our own', () => {
    expect(checkOrigin(undefined, 4242)).toBe(true)
    expect(checkOrigin('http://127.0.0.1:4242', 4242)).toBe(true)
    expect(checkOrigin('http://localhost:4242', 4242)).toBe(true)
  })
  it.each(['null', 'http://127.0.0.1:4243', 'https://127.0.0.1:4242', 'http://evil.example', 'http://127.0.0.1:4242.evil.example', ''])(
    'refuses %s',
    (origin) => {
      expect(checkOrigin(origin, 4242)).toBe(false)
    }
  )
})

describe('checkFetchSite', () => {
  it('accepts same-origin, user-typed and old browsers that send nothing', () => {
    expect(checkFetchSite('same-origin')).toBe(true)
    expect(checkFetchSite('none')).toBe(true)
    expect(checkFetchSite(undefined)).toBe(true)
  })
  it('refuses cross-site and same-site (another port on 127.0.0.1 is the same site)', () => {
    expect(checkFetchSite('cross-site')).toBe(false)
    expect(checkFetchSite('same-site')).toBe(false)
  })
})

describe('tokenMatches', () => {
  const token = 'nH3PpzgdBhFC-WGpgeAl0q3eSBhfrfks-v4SM8ZMUDw'
  it('accepts only the exact token', () => {
    expect(tokenMatches(token, token)).toBe(true)
    expect(tokenMatches(undefined, token)).toBe(false)
    expect(tokenMatches('', token)).toBe(false)
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false)
    expect(tokenMatches(`${token}x`, token)).toBe(false)
    expect(tokenMatches(token.toLowerCase(), token)).toBe(false)
  })
  it('never accepts anything when the server has no token', () => {
    expect(tokenMatches('', '')).toBe(false)
  })
})

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    expect(readCookie('a=1; quire_token_80=abc=; b=2', 'quire_token_80')).toBe('abc=')
    expect(readCookie('quire_token_8080=x', 'quire_token_80')).toBeUndefined()
    expect(readCookie(undefined, 'a')).toBeUndefined()
    expect(readCookie('garbage', 'garbage')).toBeUndefined()
  })
})

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows scripts from the app only and nothing framed, posted or embedded', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/)
        return [name, values.join(' ')] as const
      })
    )
    expect(directives.get('script-src')).toBe("'self'")
    expect(directives.get('default-src')).toBe("'self'")
    expect(directives.get('object-src')).toBe("'none'")
    expect(directives.get('frame-ancestors')).toBe("'none'")
    expect(directives.get('form-action')).toBe("'none'")
    expect(directives.get('base-uri')).toBe("'none'")
    expect(directives.get('connect-src')).toBe("'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
  })
})
