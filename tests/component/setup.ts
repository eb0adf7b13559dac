import '@testing-library/jest-dom/vitest'
import { afterEach } from 'vitest'
import { cleanup, configure } from '@testing-library/svelte'

// Vitest runs without globals, so testing-library cannot register its own cleanup.
afterEach(() => cleanup())

// findBy… and waitFor give up after a second by default: a bound on wall time, which a loaded
// two-core machine overruns while the test waits for a processor. At a load of 20 the app took
// 2–5 s to show a 300-document project's reader and 1.2–2.7 s more to show its list (drawn after
// the first paint); the Ctrl+P test failed 4 runs in 10 there. What these tests wait for comes
// or never comes, so they wait long, within the project's 20 s per test.
configure({ asyncUtilTimeout: 10_000 })

// jsdom lays nothing out; CodeMirror (edit mode) measures text ranges, so give them empty boxes.
Range.prototype.getClientRects ??= () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList
Range.prototype.getBoundingClientRect ??= () => new DOMRect(0, 0, 0, 0)
