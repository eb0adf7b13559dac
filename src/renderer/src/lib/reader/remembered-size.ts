// The reader's size (its view's height, its page's width) as last measured in a window of the
// same size, kept in the window's storage. The first reader after a load starts from it instead
// of measuring in its mount: that forced a layout of the whole new window inside the opening's
// longest task (a 5 MB document: ~8 ms of a 30-40 ms task). Its ResizeObserver's first callback,
// after the frame's own layout, measures anyway and corrects a size that no longer holds.

const REMEMBERED_SIZE_KEY = 'quire.readerSize'

export interface ReaderSize {
  height: number
  width: number
}

interface Remembered extends ReaderSize {
  /** The window's inner size when measured: the reader's size holds only in a window of that size. */
  windowWidth: number
  windowHeight: number
}

/** The size measured last in a window of this size, if any. */
export function rememberedReaderSize(): ReaderSize | null {
  try {
    const raw = globalThis.localStorage?.getItem(REMEMBERED_SIZE_KEY)
    if (!raw) return null
    const remembered = JSON.parse(raw) as Partial<Remembered>
    const sizes = [remembered.height, remembered.width, remembered.windowWidth, remembered.windowHeight]
    if (!sizes.every((size) => typeof size === 'number' && Number.isFinite(size) && size > 0)) return null
    if (remembered.windowWidth !== globalThis.innerWidth || remembered.windowHeight !== globalThis.innerHeight) return null
    return { height: remembered.height as number, width: remembered.width as number }
  } catch {
    // Storage refused or the value garbled: the reader measures in its mount.
    return null
  }
}

/** Keeps `size` for the next reader in a window of this size (written only when it changed: a resize measures every frame). */
export function rememberReaderSize(size: ReaderSize): void {
  try {
    const remembered: Remembered = { height: size.height, width: size.width, windowWidth: globalThis.innerWidth, windowHeight: globalThis.innerHeight }
    const value = JSON.stringify(remembered)
    if (globalThis.localStorage?.getItem(REMEMBERED_SIZE_KEY) !== value) globalThis.localStorage?.setItem(REMEMBERED_SIZE_KEY, value)
  } catch {
    // Not kept: the next load measures in its mount.
  }
}
