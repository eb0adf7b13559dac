// Maps request paths to files of the built renderer, never outside it: the one traversal rule
// for both the browser edition (HTTP) and the desktop app (app://).
import { extname, resolve, sep } from 'node:path'

/**
 * The file under `rootDir` a URL path names, or null when the path is malformed, contains NUL
 * or a backslash, or would leave `rootDir` once decoded (`..`, `%2e%2e`, absolute paths).
 * "/" is index.html.
 */
export function resolveStaticPath(rootDir: string, urlPathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPathname)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null
  const relative = decoded === '/' ? '/index.html' : decoded
  const root = resolve(rootDir)
  const target = resolve(root, `.${relative}`)
  return target.startsWith(root + sep) ? target : null
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm'
}

/** With nosniff set, an unknown type is served as opaque bytes rather than guessed at. */
export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream'
}
