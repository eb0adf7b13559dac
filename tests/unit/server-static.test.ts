import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentTypeFor, resolveStaticPath } from '../../src/main/static-files'

const root = resolve('/srv/quire/out/renderer')

describe('resolveStaticPath', () => {
  it('maps paths to files under the build', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'))
    expect(resolveStaticPath(root, '/assets/with%20space.css')).toBe(join(root, 'assets/with space.css'))
  })

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2e%2e/etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/..%2fpackage.json',
    '/..%5cpackage.json',
    '/assets\\..\\..\\package.json',
    '/index.html%00.png',
    '/index.html\u0000',
    'etc/passwd',
    '/%',
    '/%E0%A4%A'
  ])('refuses %j', (path) => {
    expect(resolveStaticPath(root, path)).toBeNull()
  })

  it('keeps an absolute-looking path inside the build', () => {
    expect(resolveStaticPath(root, '//etc/passwd')).toBe(join(root, 'etc/passwd'))
    expect(resolveStaticPath(root, '/%2Fetc%2Fpasswd')).toBe(join(root, 'etc/passwd'))
  })

  it('refuses the build folder itself', () => {
    expect(resolveStaticPath(root, '/.')).toBeNull()
    expect(resolveStaticPath(root, '/assets/..')).toBeNull()
  })
})

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a/b.JS', 'text/javascript; charset=utf-8'],
    ['x.css', 'text/css; charset=utf-8'],
    ['font.woff2', 'font/woff2'],
    ['logo.svg', 'image/svg+xml'],
    ['unknown.bin', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream']
  ])('%s → %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type)
  })
})
