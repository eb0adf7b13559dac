// A trapped dialog takes the focus when it opens with the focus outside it, and gives it back
// when it closes: to what had it, or, when that is gone, to the page's focus home (the reader).
import { afterEach, describe, expect, it } from 'vitest'
import { FOCUS_HOME_ATTRIBUTE, trapFocus } from '../../src/renderer/src/lib/focus-trap'

function element(html: string): HTMLElement {
  const holder = document.createElement('div')
  holder.innerHTML = html
  document.body.appendChild(holder)
  return holder.firstElementChild as HTMLElement
}

afterEach(() => {
  document.body.replaceChildren()
})

describe('trapFocus', () => {
  it('takes the focus into the dialog when it opens with the focus on the page', () => {
    const dialog = element('<div role="dialog"><button>First</button><button>Second</button></div>')
    trapFocus(dialog)
    expect(document.activeElement?.textContent).toBe('First')
  })

  it('leaves the focus where the dialog put it itself', () => {
    const dialog = element('<div role="dialog"><button>First</button><input aria-label="Name" /></div>')
    dialog.querySelector('input')!.focus()
    trapFocus(dialog)
    expect(document.activeElement).toBe(dialog.querySelector('input'))
  })

  it('gives the focus back to what had it before', () => {
    const opener = element('<button>Export…</button>')
    opener.focus()
    const dialog = element('<div role="dialog"><button>Close</button></div>')
    const trap = trapFocus(dialog)
    dialog.remove()
    trap.destroy()
    expect(document.activeElement).toBe(opener)
  })

  it('gives it to the focus home when what had it is gone, never to the page body', () => {
    const reader = element(`<div tabindex="0" ${FOCUS_HOME_ATTRIBUTE}>text</div>`)
    const opener = element('<button>Tag all…</button>')
    opener.focus()
    const dialog = element('<div role="dialog"><button>Close</button></div>')
    const trap = trapFocus(dialog)
    opener.remove()
    dialog.remove()
    trap.destroy()
    expect(document.activeElement).toBe(reader)
  })

  it('does not take the focus back once the user has moved it on', () => {
    const opener = element('<button>Export…</button>')
    const elsewhere = element('<button>Elsewhere</button>')
    opener.focus()
    const dialog = element('<div role="dialog"><button>Close</button></div>')
    const trap = trapFocus(dialog)
    elsewhere.focus()
    trap.destroy()
    expect(document.activeElement).toBe(elsewhere)
  })
})
