// How much line a character takes in the reader, on average: its glyph, the spaces a line break
// leaves, and the labels' chips beside the highlights. The reader estimates the height of every
// block it has not drawn from it, and draws as many blocks as those estimates say fill the view.
// A fixed guess (8.6 px) was a third short with this machine's fonts and a tagged text (blocks
// of 150 characters took three lines, not two): a jump drew about 14 blocks where 10 fill the
// view, and dropped the other 4 in the same frame once measured. Learnt from the blocks measured
// and kept in the window's storage, the next reader draws what fills its view from the start.

const CHAR_WIDTH_KEY = 'quire.readerCharWidth'
/** For 17 px serif text with few highlights, before anything is measured. */
export const DEFAULT_CHAR_PX = 8.6
// Learnt values outside this are a measuring fault (a block not laid out yet, a hidden window).
const PLAUSIBLE_PX = { min: 4, max: 40 }

/** The average width learnt by a reader before, if any. */
export function rememberedCharWidth(): number | null {
  try {
    const raw = globalThis.localStorage?.getItem(CHAR_WIDTH_KEY)
    const px = raw === null || raw === undefined ? Number.NaN : Number(raw)
    return plausible(px) ? px : null
  } catch {
    return null
  }
}

/** Learns the average from blocks as they are measured; keeps it for the next reader. */
export class CharWidthLearner {
  #linePx = 0
  #chars = 0
  #kept: number | null

  constructor(kept = rememberedCharWidth()) {
    this.#kept = kept
  }

  /**
   * A block of `chars` characters measured `lines` lines tall in a page `pageWidth` wide. One line
   * says nothing (it may be a short paragraph); of more, the last is taken as half full.
   */
  observe(chars: number, lines: number, pageWidth: number): void {
    if (lines < 2 || chars <= 0 || pageWidth <= 0) return
    this.#linePx += (lines - 0.5) * pageWidth
    this.#chars += chars
  }

  /** The average learnt so far (null before any block of two lines or more). */
  get learnt(): number | null {
    const px = this.#chars === 0 ? Number.NaN : this.#linePx / this.#chars
    return plausible(px) ? px : null
  }

  /** Keeps the average learnt for the next reader, when it differs from the kept one by more than 2%. */
  remember(): void {
    const learnt = this.learnt
    if (learnt === null || (this.#kept !== null && Math.abs(learnt - this.#kept) <= this.#kept * 0.02)) return
    try {
      globalThis.localStorage?.setItem(CHAR_WIDTH_KEY, learnt.toFixed(3))
      this.#kept = learnt
    } catch {
      // Not kept: the next reader starts from its default.
    }
  }
}

function plausible(px: number): boolean {
  return Number.isFinite(px) && px >= PLAUSIBLE_PX.min && px <= PLAUSIBLE_PX.max
}
