// Keeps keyboard focus inside a modal dialog: Tab from the last control goes to the first and
// Shift+Tab from the first to the last, so the page behind the backdrop is never reached.
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

export function trapFocus(container: HTMLElement): { destroy(): void } {
  const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null
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
      if (previouslyFocused?.isConnected && (document.activeElement === document.body || document.activeElement === null)) previouslyFocused.focus()
    }
  }
}
