// The find worker as the app starts it: a module worker built by Vite from find-worker.ts and
// served from the app's own origin (the CSP's script-src 'self' covers it). Where there are no
// workers (jsdom in component tests) the same engine runs in the window's thread.
import { createInThreadFindWorker, type FindWorkerLike } from './match-runner'

export function createFindWorker(): FindWorkerLike {
  if (typeof Worker === 'undefined') return createInThreadFindWorker()
  return new Worker(new URL('./find-worker.ts', import.meta.url), { type: 'module', name: 'quire-find' }) as unknown as FindWorkerLike
}
