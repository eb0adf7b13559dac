// The shared search core (src/core/search): folding and matching as the find bar, project
// search and tag-all use them, in Azerbaijani, Turkish and Arabic text, with emoji and CRLF.
import { describe, expect, it } from 'vitest'
import { foldQuery, foldText, normalizeForGrouping, type FoldOptions } from '../../src/core/search/fold'
import { compileSearch, findMatches, isWholeWord, MAX_QUERY_LENGTH, searchFolding, type SearchQuery } from '../../src/core/search/find-matches'

const PLAIN: Omit<SearchQuery, 'text'> = { matchCase: false, matchDiacritics: false, wholeWord: false, regex: false }

/** Every match's text, in order. */
function find(text: string, query: string, options: Partial<SearchQuery> = {}, limits: { from?: number; limit?: number } = {}): string[] {
  return ranges(text, query, options, limits).map(([start, end]) => text.slice(start, end))
}

function ranges(text: string, query: string, options: Partial<SearchQuery> = {}, limits: { from?: number; limit?: number } = {}): [number, number][] {
  const compiled = compileSearch({ ...PLAIN, ...options, text: query })
  if (!compiled.ok) throw new Error(compiled.problem)
  const { offsets, count } = findMatches(text, compiled, limits)
  const result: [number, number][] = []
  for (let index = 0; index < count; index++) result.push([offsets[index * 2] as number, offsets[index * 2 + 1] as number])
  return result
}

const ALL_FOLDS: FoldOptions[] = [
  { matchCase: false, matchDiacritics: true },
  { matchCase: true, matchDiacritics: false },
  { matchCase: false, matchDiacritics: false }
]

describe('folding', () => {
  it('finds Azerbaijani names without their diacritics, and only with them when diacritics must match', () => {
    const text = 'Prezident İlham Əliyev Şuşa şəhərində çıxış etdi.'
    expect(find(text, 'Aliyev')).toEqual(['Əliyev'])
    expect(find(text, 'Susa')).toEqual(['Şuşa'])
    expect(find(text, 'ilham aliyev')).toEqual(['İlham Əliyev'])
    expect(find(text, 'cixis')).toEqual(['çıxış'])
    expect(find(text, 'Aliyev', { matchDiacritics: true })).toEqual([])
    expect(find(text, 'Əliyev', { matchDiacritics: true })).toEqual(['Əliyev'])
    expect(find(text, 'əliyev', { matchDiacritics: true })).toEqual(['Əliyev'])
    expect(find(text, 'əliyev', { matchDiacritics: true, matchCase: true })).toEqual([])
  })

  it('takes I, İ, ı and i as one letter when case does not matter, and each as itself when it does', () => {
    const text = 'Istanbul İstanbul ıstanbul istanbul'
    expect(find(text, 'istanbul', { matchDiacritics: true })).toHaveLength(4)
    expect(find(text, 'ISTANBUL', { matchDiacritics: true })).toHaveLength(4)
    expect(find(text, 'İstanbul', { matchDiacritics: true, matchCase: true })).toEqual(['İstanbul'])
    expect(find(text, 'ıstanbul', { matchDiacritics: true, matchCase: true })).toEqual(['ıstanbul'])
    // Without diacritics but with case: the dot of İ goes, the case stays.
    expect(find(text, 'Istanbul', { matchCase: true })).toEqual(['Istanbul', 'İstanbul'])
    expect(find(text, 'istanbul', { matchCase: true })).toEqual(['ıstanbul', 'istanbul'])
  })

  it('keeps offsets exact where İ would lower to two units', () => {
    const text = 'İİİ Aİ'
    expect(ranges(text, 'ai', { matchDiacritics: true })).toEqual([[4, 6]])
    expect(foldText(text, { matchCase: false, matchDiacritics: true })).toEqual({ text: 'iii ai', toOriginal: null })
  })

  it('finds Turkish letters by their base letters', () => {
    const text = 'Öğrenciler Üsküdar’da Çarşamba günü buluştu.'
    expect(find(text, 'ogrenciler')).toEqual(['Öğrenciler'])
    expect(find(text, 'uskudar')).toEqual(['Üsküdar'])
    expect(find(text, 'CARSAMBA GUNU')).toEqual(['Çarşamba günü'])
    expect(find(text, 'carsamba', { matchDiacritics: true })).toEqual([])
  })

  it('ignores Arabic harakat, shadda and tatweel and takes hamza forms of alif as alif when diacritics do not matter', () => {
    const text = 'قال أَحْمَدُ إنّ الإيسيسكو آمنة. ثم جاء احمد والـمدير'
    expect(find(text, 'احمد')).toEqual(['أَحْمَدُ', 'احمد'])
    expect(find(text, 'ان')).toContain('إنّ')
    expect(find(text, 'الايسيسكو')).toEqual(['الإيسيسكو'])
    expect(find(text, 'امنة')).toEqual(['آمنة'])
    expect(find(text, 'المدير')).toEqual(['والـمدير'.slice(1)])
    expect(find(text, 'أحمد', { matchDiacritics: true })).toEqual([])
    expect(find(text, 'أَحْمَدُ', { matchDiacritics: true })).toEqual(['أَحْمَدُ'])
  })

  it('folds a long text exactly as it folds each of its letters alone (a query is short, a document long)', () => {
    // Every letter of the Basic Multilingual Plane and some beyond it.
    const letters: string[] = []
    for (let code = 0x20; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      letters.push(String.fromCharCode(code))
    }
    letters.push('😀', '👩🏽', '𐐀', '𐐨', '𝐀', '🇦🇿', '𞤀')
    const original = letters.join(' ')
    for (const options of ALL_FOLDS) {
      const whole = foldText(original, options)
      const pieces = letters.map((letter) => foldQuery(letter, options))
      expect(whole.text === pieces.join(' '), JSON.stringify(options)).toBe(true)
      // And every folded unit leads back to the letter it came from.
      const map = whole.toOriginal
      const strays: string[] = []
      let folded = 0
      let at = 0
      letters.forEach((letter, index) => {
        const piece = pieces[index] as string
        for (let unit = 0; unit < piece.length; unit++) {
          const back = map ? (map[folded + unit] as number) : folded + unit
          if (back < at || back >= at + letter.length) strays.push(letter)
        }
        folded += piece.length + 1
        at += letter.length + 1
      })
      expect(strays, JSON.stringify(options)).toEqual([])
      expect(map ? map[map.length - 1] : whole.text.length).toBe(original.length)
    }
  })

  it('changes nothing when case and diacritics both matter', () => {
    const text = 'İlham Əliyev'
    expect(foldText(text, { matchCase: true, matchDiacritics: true })).toEqual({ text, toOriginal: null })
  })

  it('groups names by their letters alone', () => {
    expect(normalizeForGrouping('  İlham   Əliyev ')).toBe(normalizeForGrouping('ilham aliyev'))
    expect(normalizeForGrouping('ISESCO')).not.toBe(normalizeForGrouping('ICESCO'))
  })
})

describe('emoji and surrogate pairs', () => {
  const text = 'Team 👩🏽‍💻 at 🇦🇿 Bakı, 👍🏾 and 👍 again 👩🏽‍💻'

  it('finds ZWJ sequences, flags and skin tones whole', () => {
    expect(find(text, '👩🏽‍💻')).toEqual(['👩🏽‍💻', '👩🏽‍💻'])
    expect(find(text, '🇦🇿')).toEqual(['🇦🇿'])
    expect(find(text, '👍🏾')).toEqual(['👍🏾'])
    // The plain thumb is also the start of the toned one; the match stops at a whole code point.
    expect(ranges(text, '👍', { matchDiacritics: true }).length).toBe(2)
  })

  it('never starts or ends a match inside a surrogate pair, with any options', () => {
    for (const options of [{}, { matchCase: true }, { matchDiacritics: true }, { regex: true }, { regex: true, matchDiacritics: true }]) {
      for (const query of ['🏽', '💻', '🇿', 'a', '\u200d']) {
        for (const [start, end] of ranges(text, query, options)) {
          for (const edge of [start, end]) {
            const code = text.charCodeAt(edge)
            expect(code >= 0xdc00 && code <= 0xdfff, `${query} ${JSON.stringify(options)} at ${edge}`).toBe(false)
          }
        }
      }
    }
  })

  it('keeps offsets right after emoji when letters before them changed length', () => {
    const withExpansion = 'Straße 🇦🇿 Əli'
    expect(find(withExpansion, 'ali')).toEqual(['Əli'])
    expect(find(withExpansion, 'strasse 🇦🇿')).toEqual(['Straße 🇦🇿'])
  })

  it('refuses a regex alternative that would match half a pair', () => {
    // With the u flag a lone surrogate in the pattern matches only a lone surrogate in the text.
    expect(find('a😀b', '\\uD83D', { regex: true })).toEqual([])
  })
})

describe('line breaks', () => {
  const text = 'first line\r\nsecond line\r\n\r\nthird'

  it('moves a match that would split a CRLF to take it whole', () => {
    expect(ranges(text, '\\n', { regex: true })).toEqual([
      [10, 12],
      [23, 25],
      [25, 27]
    ])
    expect(ranges(text, 'line\\r', { regex: true })).toEqual([
      [6, 12],
      [19, 25]
    ])
    expect(ranges(text, '\\nsecond', { regex: true })).toEqual([[10, 18]])
  })

  it('finds text across a CRLF with a regex', () => {
    expect(find(text, 'line\\s+second', { regex: true })).toEqual(['line\r\nsecond'])
  })

  it('never starts or ends a match between CR and LF', () => {
    for (const query of ['\\n', '\\r', '\\s', '.\\r', '\\n.', 'e\\r?\\n?']) {
      for (const [start, end] of ranges(text, query, { regex: true })) {
        for (const edge of [start, end]) expect(text[edge - 1] === '\r' && text[edge] === '\n', `${query} at ${edge}`).toBe(false)
      }
    }
  })
})

describe('whole word', () => {
  it('finds only whole words, in any script', () => {
    expect(find('art artist art, smart art_ art', 'art', { wholeWord: true })).toEqual(['art', 'art', 'art'])
    expect(find('Əli Əliyev Əli', 'ali', { wholeWord: true })).toEqual(['Əli', 'Əli'])
    expect(find('محمد ومحمد محمد', 'محمد', { wholeWord: true })).toEqual(['محمد', 'محمد'])
  })

  it('finds a whole word inside a longer run that did not match first ("aa" in "aaa aa")', () => {
    expect(ranges('aaa aa', 'aa', { wholeWord: true })).toEqual([[4, 6]])
  })

  it('takes a letter and its combining mark as one word', () => {
    // "e" + combining acute: the mark continues the word.
    expect(find('cafe\u0301 cafe', 'cafe', { wholeWord: true, matchDiacritics: true })).toEqual(['cafe'])
    expect(isWholeWord('x 😀 y', 2, 4)).toBe(true)
  })

  it('works with a regex', () => {
    expect(find('Ali Aliyev Ali', 'al[a-z]', { regex: true, wholeWord: true })).toEqual(['Ali', 'Ali'])
  })
})

describe('regular expressions', () => {
  it('says what is wrong with an invalid expression', () => {
    const compiled = compileSearch({ ...PLAIN, regex: true, text: '(unclosed' })
    expect(compiled.ok).toBe(false)
    if (!compiled.ok) expect(compiled.problem).toBe('Not a valid regular expression: Unterminated group')
    expect(compileSearch({ ...PLAIN, regex: true, text: '[z-a]' }).ok).toBe(false)
  })

  it('refuses an expression that matches empty text', () => {
    for (const text of ['a*', '^', '\\b', '(?:)', 'x?', '(?=a)', '(?<=0)', '$']) {
      const compiled = compileSearch({ ...PLAIN, regex: true, text })
      expect(compiled.ok, text).toBe(false)
      if (!compiled.ok) expect(compiled.problem).toMatch(/matches empty text/)
    }
  })

  it('refuses an empty or overlong query', () => {
    expect(compileSearch({ ...PLAIN, text: '' })).toMatchObject({ ok: false, problem: 'Type something to find' })
    expect(compileSearch({ ...PLAIN, text: 'x'.repeat(MAX_QUERY_LENGTH + 1) }).ok).toBe(false)
  })

  it('takes special characters literally when not a regex', () => {
    expect(find('a+b (c) a.b', 'a.b')).toEqual(['a.b'])
    expect(find('a+b (c)', '(c)')).toEqual(['(c)'])
  })

  it('runs over the text without diacritics when diacritics do not matter, and maps back', () => {
    expect(find('İlham Əliyev, Şuşa', 'a[a-z]+ev', { regex: true })).toEqual(['Əliyev'])
    expect(find('İlham Əliyev, Şuşa', 'a[a-z]+ev', { regex: true, matchDiacritics: true })).toEqual([])
    expect(find('Straße Strasse', 'stras+e', { regex: true })).toEqual(['Straße', 'Strasse'])
  })

  it('respects match case with a regex', () => {
    expect(find('Ali ali', 'ali', { regex: true, matchCase: true, matchDiacritics: true })).toEqual(['ali'])
    expect(find('Ali ali', 'ali', { regex: true, matchDiacritics: true })).toEqual(['Ali', 'ali'])
  })
})

describe('from and limit', () => {
  const text = 'Əli and Ali and əli and ALI'

  it('starts at `from`, in offsets of the original even when folding changed lengths', () => {
    const all = ranges(text, 'ali')
    expect(all).toHaveLength(4)
    expect(ranges(text, 'ali', {}, { from: 1 })).toEqual(all.slice(1))
    expect(ranges(text, 'ali', {}, { from: all[2]?.[0] })).toEqual(all.slice(2))
    expect(ranges('Straße Ali Ali', 'ali', {}, { from: 8 })).toEqual([[11, 14]])
    expect(ranges(text, 'ali', { regex: true }, { from: 1 })).toEqual(all.slice(1))
  })

  it('stops at `limit` and says whether more were left', () => {
    const compiled = compileSearch({ ...PLAIN, text: 'ali' })
    if (!compiled.ok) throw new Error(compiled.problem)
    expect(findMatches(text, compiled, { limit: 2 })).toMatchObject({ count: 2, truncated: true })
    expect(findMatches(text, compiled, { limit: 4 })).toMatchObject({ count: 4, truncated: false })
    const regex = compileSearch({ ...PLAIN, regex: true, text: 'al.' })
    if (!regex.ok) throw new Error(regex.problem)
    expect(findMatches(text, regex, { limit: 1 })).toMatchObject({ count: 1, truncated: true })
  })

  it('returns no overlapping matches', () => {
    expect(ranges('aaaa', 'aa')).toEqual([
      [0, 2],
      [2, 4]
    ])
  })
})

describe('a text folded once for many searches', () => {
  it('gives the same matches with the folded text passed in', () => {
    const text = 'Straße Əliyev ALIYEV aliyev'
    for (const options of [{}, { regex: true }, { matchCase: true }, { matchDiacritics: true }]) {
      const compiled = compileSearch({ ...PLAIN, ...options, text: 'aliyev' })
      if (!compiled.ok) throw new Error(compiled.problem)
      const folded = foldText(text, searchFolding(compiled.query))
      expect(findMatches(text, compiled, { folded })).toEqual(findMatches(text, compiled))
    }
  })
})
