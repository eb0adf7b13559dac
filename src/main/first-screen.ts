// The first screen of a long document that a window's start leaves out (startup-ahead.ts): its
// first blocks and the spans within them, a few kilobytes the start carries so the window draws
// them at once, while the whole document (megabytes) comes by its request worker (issue 12).
import { firstBlocksEnd } from '../core/text-blocks'
import { allButAnnotations } from '../shared/content-layer'
import type { DocumentContent, FirstScreen } from '../shared/model'
import { annotationsEndingBy } from './services/document-service'

/**
 * About this many characters: a tall window's screen shows 5,000–8,000 and the reader draws
 * 900 px more each side; a few screens more cost a millisecond to send and unpack.
 */
export const FIRST_SCREEN_CHARACTERS = 20_000

export function firstScreenOf(content: DocumentContent, wanted = FIRST_SCREEN_CHARACTERS): FirstScreen {
  const end = firstBlocksEnd(content.text, wanted)
  return {
    content: { ...allButAnnotations(content), text: content.text.slice(0, end), annotations: annotationsEndingBy(content, end) },
    textLength: content.text.length
  }
}
