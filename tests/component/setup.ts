import '@testing-library/jest-dom/vitest'
import { afterEach } from 'vitest'
import { cleanup } from '@testing-library/svelte'

// Vitest runs without globals, so testing-library cannot register its own cleanup.
afterEach(() => cleanup())

// jsdom lays nothing out; CodeMirror (edit mode) measures text ranges, so give them empty boxes.
Range.prototype.getClientRects ??= () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList
Range.prototype.getBoundingClientRect ??= () => new DOMRect(0, 0, 0, 0)
