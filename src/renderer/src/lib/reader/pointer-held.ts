// Whether the main mouse button is held down in the window: a drag selecting text may be under
// way. What would redraw the text without the editor asking (suggestions arriving from main)
// waits for the release: redrawn mid-drag, a block's text nodes are replaced and the selection
// being made stops where it was (a drag across "Baku Process" selected "Baku P"), and a new
// chip moves the words under the pointer.

interface Held {
  down: boolean
  waiting: (() => void)[]
}

/** A release that never comes (the window lost the pointer some other way) holds nothing longer than this. */
const LONGEST_HOLD_MS = 5000

const helds = new WeakMap<Document, Held>()

function heldIn(document: Document): Held {
  const known = helds.get(document)
  if (known) return known
  const held: Held = { down: false, waiting: [] }
  helds.set(document, held)
  const release = (): void => {
    held.down = false
    for (const resolve of held.waiting.splice(0)) resolve()
  }
  document.addEventListener('pointerdown', (event) => (held.down = held.down || event.button === 0), { capture: true })
  document.addEventListener('pointerup', (event) => event.button === 0 && release(), { capture: true })
  document.addEventListener('pointercancel', release, { capture: true })
  document.defaultView?.addEventListener('blur', release)
  return held
}

/** Starts watching the document's pointer (a drag begun before the first watch is not known). */
export function watchPointer(document: Document): void {
  heldIn(document)
}

/** Resolves at once when no drag is under way, else when the button is released (at most LONGEST_HOLD_MS). */
export function untilPointerReleased(document: Document): Promise<void> {
  const held = heldIn(document)
  if (!held.down) return Promise.resolve()
  return new Promise((resolve) => {
    held.waiting.push(resolve)
    setTimeout(resolve, LONGEST_HOLD_MS)
  })
}
