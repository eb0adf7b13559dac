// Keeps keyboard focus inside a modal dialog: Tab from the last control goes to the first and
// Shift+Tab from the first to the last, so the page behind the backdrop is never reached.
// Opened with the focus outside it (a shortcut pressed on the page, the dialog before it gone),
// the dialog takes the focus; closed, it gives it back to where it was, or when that is gone
// to the page's focus home (the reader), never to nothing: a keyboard user would be lost.
// Used as a Svelte action: <div use:trapFocus>.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])'
].join(',')

export function focusableIn(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => !element.closest('[hidden], [inert]'))
}

/** Marks the element the focus goes back to when a dialog closes and what had it is gone. */
export const FOCUS_HOME_ATTRIBUTE = 'data-focus-home'

function focusIsLost(): boolean {
  return document.activeElement === document.body || document.activeElement === null
}

export function trapFocus(container: HTMLElement): { destroy(): void } {
  const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null
  if (!container.contains(document.activeElement)) focusableIn(container)[0]?.focus()
  function onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return
    const focusable = focusableIn(container)
    const first = focusable[0]
    const last = focusable.at(-1)
    if (!first || !last) {
      event.preventDefault()
      return
    }
    const active = document.activeElement
    if (event.shiftKey && (active === first || !container.contains(active))) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && (active === last || !container.contains(active))) {
      event.preventDefault()
      first.focus()
    }
  }
  container.addEventListener('keydown', onKeyDown)
  return {
    destroy() {
      container.removeEventListener('keydown', onKeyDown)
      // Back where the user was (the toolbar button), unless focus has moved on since.
      if (!focusIsLost()) return
      if (previouslyFocused?.isConnected && previouslyFocused !== document.body) previouslyFocused.focus()
      else document.querySelector<HTMLElement>(`[${FOCUS_HOME_ATTRIBUTE}]`)?.focus({ preventScroll: true })
    }
  }
}
