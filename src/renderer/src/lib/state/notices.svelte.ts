// Calm messages: what went well (a file imported, an export written) is said in a notice that
// does not block and fades by itself; dialogs are kept for decisions and problems. A notice
// stays while the pointer is on it or focus is in it, so nobody loses one they are reading.

export interface NoticeAction {
  label: string
  run: () => void | Promise<void>
}

export interface Notice {
  readonly id: number
  readonly message: string
  readonly action: NoticeAction | null
  /** How long it stays on screen once nobody holds it. */
  readonly durationMs: number
  /** Fading out: removed when the fade ends. */
  readonly leaving: boolean
}

export interface NoticeOptions {
  action?: NoticeAction
  durationMs?: number
}

/** A short "Imported 1 file" stays 5 s; longer text stays longer (about a word per 300 ms), up to 15 s. */
export function noticeDuration(message: string, hasAction = false): number {
  const words = message.trim().split(/\s+/).length
  const reading = Math.min(15_000, Math.max(5_000, 2_500 + words * 300))
  // Time to reach for the button too.
  return hasAction ? Math.max(reading, 8_000) : reading
}

/** How long the fade-out runs (the CSS transition of .notice.leaving matches it; none under reduced motion). */
export const NOTICE_FADE_MS = 400

/** At most this many on screen; the oldest goes first. */
const MAX_SHOWN = 4

type HoldReason = 'pointer' | 'focus'

interface Clock {
  timer: ReturnType<typeof setTimeout> | null
  /** Time left before the fade starts, counted while nobody holds the notice. */
  remainingMs: number
  startedAt: number
  holds: Set<HoldReason>
}

export class Notices {
  items = $state.raw<Notice[]>([])
  #nextId = 1
  readonly #clocks = new Map<number, Clock>()

  /** Shows `message`; returns its id (for dismiss). */
  show(message: string, options: NoticeOptions = {}): number {
    const id = this.#nextId++
    const notice: Notice = {
      id,
      message,
      action: options.action ?? null,
      durationMs: options.durationMs ?? noticeDuration(message, options.action !== undefined),
      leaving: false
    }
    const overflow = this.items.length + 1 - MAX_SHOWN
    for (const old of this.items.slice(0, Math.max(0, overflow))) this.#remove(old.id)
    this.items = [...this.items, notice]
    this.#clocks.set(id, { timer: null, remainingMs: notice.durationMs, startedAt: 0, holds: new Set() })
    this.#start(id)
    return id
  }

  dismiss(id: number): void {
    this.#remove(id)
  }

  /** Runs the notice's action, then lets it go: it has done its job. */
  async runAction(id: number): Promise<void> {
    const notice = this.items.find((item) => item.id === id)
    if (!notice?.action) return
    this.#remove(id)
    await notice.action.run()
  }

  /** The pointer is on it or focus is in it: it stays (and comes back if it was fading). */
  hold(id: number, reason: HoldReason): void {
    const clock = this.#clocks.get(id)
    if (!clock) return
    clock.holds.add(reason)
    if (clock.timer !== null) {
      clearTimeout(clock.timer)
      clock.timer = null
      clock.remainingMs = Math.max(0, clock.remainingMs - (Date.now() - clock.startedAt))
    }
    this.#setLeaving(id, false)
  }

  /** Let go: the time left runs again, never less than a moment to read the end. */
  release(id: number, reason: HoldReason): void {
    const clock = this.#clocks.get(id)
    if (!clock || !clock.holds.delete(reason) || clock.holds.size > 0) return
    clock.remainingMs = Math.max(clock.remainingMs, 2_000)
    this.#start(id)
  }

  /** Drops every notice and timer (the app's state is going away). */
  clear(): void {
    for (const id of [...this.#clocks.keys()]) this.#remove(id)
  }

  #start(id: number): void {
    const clock = this.#clocks.get(id)
    if (!clock || clock.holds.size > 0) return
    clock.startedAt = Date.now()
    clock.timer = setTimeout(() => this.#fade(id), clock.remainingMs)
  }

  #fade(id: number): void {
    const clock = this.#clocks.get(id)
    if (!clock) return
    clock.remainingMs = 0
    this.#setLeaving(id, true)
    clock.startedAt = Date.now()
    clock.timer = setTimeout(() => this.#remove(id), NOTICE_FADE_MS)
  }

  #setLeaving(id: number, leaving: boolean): void {
    if (!this.items.some((item) => item.id === id && item.leaving !== leaving)) return
    this.items = this.items.map((item) => (item.id === id ? { ...item, leaving } : item))
  }

  #remove(id: number): void {
    const clock = this.#clocks.get(id)
    if (clock?.timer) clearTimeout(clock.timer)
    this.#clocks.delete(id)
    this.items = this.items.filter((item) => item.id !== id)
  }
}
