// The browser edition answers on 127.0.0.1 only: from this machine's other addresses (its LAN
// address, ::1) nothing is listening, so nobody else on the network can even reach the token check.
import { mkdir, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startBrowserEdition, type RunningBrowserEdition } from '../../src/server/browser-edition'
import { makeTempFolder } from '../fixtures/temp-folder'

const running: RunningBrowserEdition[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((edition) => edition.close()))
})

/** 'connected' or the error code of a TCP connection attempt. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve('timeout')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })
}

function otherAddresses(): string[] {
  // Link-local IPv6 needs a zone id to connect to; it is no more reachable than the rest.
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address)
    .filter((address) => address !== '127.0.0.1' && !address.startsWith('fe80'))
}

describe('browser edition binding', () => {
  it('is reachable on 127.0.0.1 and on no other address of this machine', async () => {
    const root = await makeTempFolder()
    const rendererDir = join(root, 'renderer')
    await mkdir(rendererDir, { recursive: true })
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Quire</title>')
    const edition = await startBrowserEdition({ userDataDir: join(root, 'user-data'), projectDir: null, rendererDir })
    running.push(edition)

    expect(await tryConnect('127.0.0.1', edition.port)).toBe('connected')
    const others = otherAddresses()
    // ::1 is always there; a LAN address when the machine has one.
    expect(others).toContain('::1')
    for (const address of others) {
      expect(await tryConnect(address, edition.port), address).toBe('ECONNREFUSED')
    }
  })
})
