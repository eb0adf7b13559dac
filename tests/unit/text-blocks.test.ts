import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blockIndexAt, blockIndexesTouching, firstBlocksEnd, paragraphDirection, splitIntoBlocks, splitIntoBlocksInSteps, type TextBlock } from '../../src/core/text-blocks'
import { withCpuTime } from '../helpers/cpu-time'

function expectExactCover(text: string, blocks: TextBlock[]): void {
  let expectedStart = 0
  blocks.forEach((block, index) => {
    expect(block.index).toBe(index)
    expect(block.start).toBe(expectedStart)
    expect(block.end).toBeGreaterThan(block.start)
    expectedStart = block.end
  })
  expect(expectedStart).toBe(text.length)
  expect(blocks.map((block) => text.slice(block.start, block.end)).join('')).toBe(text)
}

const sampleFolder = join(import.meta.dirname, '../../resources/sample-project')

describe('splitIntoBlocks', () => {
  it('makes one block per line and keeps CRLF, CR and LF terminators exactly', () => {
    const text = 'first\r\nsecond\n\nfourth\rfifth'
    const blocks = splitIntoBlocks(text)
    expectExactCover(text, blocks)
    expect(blocks.map((block) => text.slice(block.start, block.end))).toEqual(['first\r\n', 'second\n', '\n', 'fourth\r', 'fifth'])
  })

  it('finds every kind of line break however they follow each other: LF before CR, CR far after LFs, CR then CRLF', () => {
    const text = `a\n\rb\r\r\nc\n${'d\n'.repeat(50)}e\rf\r\n\r\ng`
    const blocks = splitIntoBlocks(text)
    expectExactCover(text, blocks)
    expect(blocks.map((block) => text.slice(block.start, block.end))).toEqual(['a\n', '\r', 'b\r', '\r\n', 'c\n', ...Array<string>(50).fill('d\n'), 'e\r', 'f\r\n', '\r\n', 'g'])
  })

  it('returns no blocks for an empty text', () => {
    expect(splitIntoBlocks('')).toEqual([])
  })

  it('keeps a 2.5 KB single-line paragraph whole: a cut would show as a line ending early', () => {
    const text = readFileSync(join(sampleFolder, 'icesco-science-cooperation.txt'), 'utf8')
    expect(splitIntoBlocks(text)).toEqual([{ index: 0, start: 0, end: text.length, direction: 'ltr', continuesParagraph: false }])
  })

  it('chunks the 2.5 KB single-line sample at word boundaries when asked for small chunks', () => {
    const text = readFileSync(join(sampleFolder, 'icesco-science-cooperation.txt'), 'utf8')
    const blocks = splitIntoBlocks(text, { minChunkLength: 1000, maxChunkLength: 2000 })
    expectExactCover(text, blocks)
    expect(blocks.length).toBeGreaterThan(1)
    for (const block of blocks.slice(0, -1)) {
      expect(block.end - block.start).toBeLessThanOrEqual(2000)
      expect(block.end - block.start).toBeGreaterThanOrEqual(1000)
      expect(text[block.end - 1]).toMatch(/\s/)
      expect(text[block.end]).toMatch(/\S/)
    }
    expect(blocks.slice(1).every((block) => block.continuesParagraph)).toBe(true)
    expect(blocks[0]?.continuesParagraph).toBe(false)
  })

  it('covers the PDF-extracted sample line by line', () => {
    const text = readFileSync(join(sampleFolder, 'isesco-education-meeting.txt'), 'utf8')
    const blocks = splitIntoBlocks(text)
    expectExactCover(text, blocks)
    expect(blocks.length).toBe(text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0))
  })

  it('chunks a 5 MB line quickly into blocks of at most 4k characters without splitting surrogate pairs', () => {
    const word = 'Əliyev 🇦🇿 co-operation '
    const text = word.repeat(Math.ceil(5_000_000 / word.length))
    const { result: blocks, cpuMs } = withCpuTime(() => splitIntoBlocks(text))
    expectExactCover(text, blocks)
    expect(cpuMs).toBeLessThan(1000)
    for (const block of blocks) {
      expect(block.end - block.start).toBeLessThanOrEqual(4000)
      const first = text.charCodeAt(block.start)
      expect(first >= 0xdc00 && first <= 0xdfff).toBe(false)
    }
  })

  it('cuts a line with no whitespace at a safe character boundary', () => {
    const text = '😀'.repeat(3000)
    const blocks = splitIntoBlocks(text, { minChunkLength: 100, maxChunkLength: 301 })
    expectExactCover(text, blocks)
    for (const block of blocks) expect(block.start % 2).toBe(0)
  })

  it('gives each paragraph the direction of its first strong character', () => {
    const text = '2021: التقى الوزير\n«Baku» العاصمة\nשלום\n123 ...\n'
    const blocks = splitIntoBlocks(text)
    expect(blocks.map((block) => block.direction)).toEqual(['rtl', 'ltr', 'rtl', 'ltr'])
    expect(paragraphDirection('   ')).toBe('ltr')
    // Before the first letter: ASCII digits and signs (all below or between the Latin letters), and marks beyond ASCII.
    expect(['1. Ə', '[{`~ z', '(٣) سلام', '@_ א', '— Ü', '«» 4'].map((paragraph) => paragraphDirection(paragraph))).toEqual(['ltr', 'ltr', 'rtl', 'rtl', 'ltr', 'ltr'])
  })

  it('carries the paragraph direction into every chunk of a long RTL line', () => {
    const text = 'الإيسيسكو '.repeat(2400)
    const blocks = splitIntoBlocks(text)
    expect(blocks.length).toBeGreaterThan(2)
    expect(blocks.every((block) => block.direction === 'rtl')).toBe(true)
  })
})

describe('block lookup', () => {
  const text = 'aaa\nbbbb\ncc'
  const blocks = splitIntoBlocks(text)

  it('finds the block containing an offset', () => {
    expect(blockIndexAt(blocks, 0)).toBe(0)
    expect(blockIndexAt(blocks, 3)).toBe(0)
    expect(blockIndexAt(blocks, 4)).toBe(1)
    expect(blockIndexAt(blocks, text.length)).toBe(2)
    expect(blockIndexAt([], 3)).toBe(-1)
  })

  it('lists the blocks a range touches', () => {
    expect(blockIndexesTouching(blocks, 2, 6)).toEqual([0, 1])
    expect(blockIndexesTouching(blocks, 4, 9)).toEqual([1])
    expect(blockIndexesTouching(blocks, 5, 5)).toEqual([1])
    expect(blockIndexesTouching(blocks, 0, text.length)).toEqual([0, 1, 2])
  })
})

describe('splitIntoBlocksInSteps', () => {
  /** The blocks and how many times the work stopped on the way. */
  function inSteps(text: string): { blocks: TextBlock[]; stops: number } {
    const steps = splitIntoBlocksInSteps(text)
    let stops = 0
    for (;;) {
      const step = steps.next()
      if (step.done) return { blocks: step.value, stops }
      stops++
    }
  }

  it('cuts the same blocks as splitIntoBlocks, stopping on the way through a long text of many lines', () => {
    const text = Array.from({ length: 10_000 }, (_, line) => `Line ${line}: Leyla Taghizade met ICESCO in Baku.\n`).join('')
    const { blocks, stops } = inSteps(text)
    expect(blocks).toEqual(splitIntoBlocks(text))
    expectExactCover(text, blocks)
    expect(stops).toBeGreaterThanOrEqual(4)
  })

  it('stops on the way through one long line too, and not at all in a short text', () => {
    const text = 'ICESCO met in Baku and spoke of science. '.repeat(200_000)
    const { blocks, stops } = inSteps(text)
    expect(blocks).toEqual(splitIntoBlocks(text))
    expect(stops).toBeGreaterThanOrEqual(1)
    expect(inSteps('One short line.\nAnother.\n').stops).toBe(0)
  })
})

describe('firstBlocksEnd', () => {
  const corpusText = (name: string): string => readFileSync(join(sampleFolder, name), 'utf8')
  const texts: [string, string][] = [
    ['the PDF-extracted sample (doubled lines)', corpusText('icesco-science-cooperation.txt').repeat(8)],
    ['the single-line sample', corpusText('isesco-education-meeting.txt').repeat(8).replace(/[\r\n]+/g, ' ')],
    ['CRLF lines', 'Line of text, with CRLF ends.\r\n'.repeat(2000)],
    ['a right-to-left single line whose first strong letter comes late', `${'1234 '.repeat(1000)}${'مرحبا بالعالم '.repeat(4000)}`],
    ['one enormous word of emoji and combining marks', '👩‍👩‍👧e\u0301'.repeat(12_000)],
    ['short lines then one long line', `${'a short line\n'.repeat(300)}${'word '.repeat(20_000)}`]
  ]

  it.each(texts)('cuts %s so that its first blocks are exactly the whole text\'s', (_name, text) => {
    const whole = splitIntoBlocks(text)
    for (const wanted of [0, 3_999, 4_003, 10_000, 20_000, 33_333]) {
      const end = firstBlocksEnd(text, wanted)
      const first = splitIntoBlocks(text.slice(0, end))
      expect(first.length).toBeGreaterThan(0)
      expect(first).toEqual(whole.slice(0, first.length))
      // Every block of the whole that ends within `wanted` is there, and only those (at least one).
      const within = whole.filter((block) => block.end <= wanted).length
      expect(first.length).toBe(Math.max(1, within))
    }
  })

  it('is the whole length for a text no longer than wanted', () => {
    expect(firstBlocksEnd('two lines\nhere', 100)).toBe(14)
    expect(firstBlocksEnd('', 100)).toBe(0)
  })
})
