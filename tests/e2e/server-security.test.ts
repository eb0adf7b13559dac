// The browser edition's defences, seen from a real Chromium and raw HTTP.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'

// Page-side globals used inside page.evaluate, declared here rather than adding the DOM
// library to the Node typecheck.
declare const document: { cookie: string }
declare const window: { attempts?: Promise<string[]> }

let browser: Browser
let quire: LaunchedQuire
const extraServers: Server[] = []

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await quire?.close()
  await Promise.all(extraServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', reject)
    request.end()
  })
}

/** A page on another origin (another port on 127.0.0.1, as another local web app would be). */
async function serveAttackerPage(html: string): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    response.end(html)
  })
  extraServers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

describe('browser edition security', () => {
  it('refuses the page, assets and API without the token', async () => {
    quire = await launchQuire()
    for (const path of ['/', '/index.html', '/favicon.ico', '/assets/missing.js']) {
      expect((await fetch(`${quire.origin}${path}`)).status, path).toBe(401)
    }
    const api = await fetch(`${quire.origin}/api/getSettings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"args":[]}'
    })
    expect(api.status).toBe(401)
    const guessed = await fetch(`${quire.origin}/?token=${'A'.repeat(43)}`, { redirect: 'manual' })
    expect(guessed.status).toBe(401)
  })

  it('loads the app from the printed link, strips the token from the address and serves the CSP', async () => {
    quire = await launchQuire()
    const { context, page, problems } = await openQuirePage(browser, quire)
    expect(page.url()).toBe(`${quire.origin}/`)
    const response = await page.reload()
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    const cookies = await context.cookies()
    expect(cookies).toEqual([
      expect.objectContaining({ name: `quire_token_${quire.port}`, value: quire.token, httpOnly: true, sameSite: 'Strict' })
    ])
    expect(await page.evaluate(() => document.cookie)).toBe('')
    expect(problems).toEqual([])
    await context.close()
  })

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    quire = await launchQuire()
    const rebound = await rawGet(quire.port, '/', { host: `attacker.example:${quire.port}`, 'x-quire-token': quire.token })
    expect(rebound.status).toBe(421)
    const ok = await rawGet(quire.port, '/', { host: `localhost:${quire.port}`, 'x-quire-token': quire.token })
    expect(ok.status).toBe(200)
  })

  it('refuses API calls a page on another origin makes, even while the user is logged in', async () => {
    quire = await launchQuire()
    const { context, page } = await openQuirePage(browser, quire)
    const before = await quire.edition.backend.getSettings()

    const attacker = await serveAttackerPage(`<!doctype html><script>
      window.attempts = Promise.all([
        fetch('${quire.origin}/api/setAnnotatorName', { method: 'POST', mode: 'no-cors', credentials: 'include',
          headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ args: ['Mallory'] }) })
          .then(r => 'sent:' + r.type, e => 'blocked:' + e.message),
        fetch('${quire.origin}/api/setAnnotatorName', { method: 'POST', credentials: 'include',
          headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ args: ['Mallory'] }) })
          .then(r => 'read:' + r.status, e => 'blocked:' + e.message)
      ])
    </script>`)
    const attackerPage = await context.newPage()
    await attackerPage.goto(attacker)
    const outcomes = await attackerPage.evaluate(() => window.attempts ?? Promise.resolve(['no attempts ran']))
    expect(outcomes).toHaveLength(2)
    // The page can never read an answer; what matters is that nothing changed on the server.
    expect(outcomes.every((outcome) => !outcome.startsWith('read:2'))).toBe(true)
    expect(await quire.edition.backend.getSettings()).toEqual(before)
    expect((await quire.edition.backend.getSettings()).annotatorName).not.toBe('Mallory')

    // The same-origin app page itself still works.
    const own = await page.evaluate(async () => {
      const response = await fetch('/api/getSettings', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' })
      return response.status
    })
    expect(own).toBe(200)
    await context.close()
  })

  it('refuses a cross-origin POST carrying the token in a header', async () => {
    quire = await launchQuire()
    const response = await fetch(`${quire.origin}/api/setAnnotatorName`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Quire-Token': quire.token,
        Origin: 'http://evil.example',
        'Sec-Fetch-Site': 'cross-site'
      },
      body: JSON.stringify({ args: ['Mallory'] })
    })
    expect(response.status).toBe(403)
    expect((await quire.edition.backend.getSettings()).annotatorName).not.toBe('Mallory')
  })

  it('never serves files outside the build, however the path is spelled', async () => {
    quire = await launchQuire()
    const headers = { host: `127.0.0.1:${quire.port}`, 'x-quire-token': quire.token }
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e%2f%2e%2e%2fpackage.json', '/..%5c..%5cpackage.json', '/index.html%00.js', '/assets/../../../package.json']) {
      const response = await rawGet(quire.port, path, headers)
      expect(response.status, path).toBe(404)
      expect(response.body, path).not.toContain('"devDependencies"')
    }
  })
})
