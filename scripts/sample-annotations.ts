// Writes resources/sample-project/annotations.jsonl: two colleagues' layers on the sample
// texts, so a newcomer can try review, agreement and curation at once. The layers agree on
// most spans and disagree in each way compare mode distinguishes (tag, boundaries, only one
// annotator). Run with `npx tsx scripts/sample-annotations.ts` after changing the lists below.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

type Occurrences = 'all' | number[]
type SpanPlan = [text: string, tag: string, occurrences: Occurrences, note?: string]

const FOLDER = join(import.meta.dirname, '..', 'resources', 'sample-project')
const CREATED = { Leyla: '2024-10-07T09:12:00.000Z', Rashad: '2024-10-08T14:40:00.000Z' }

const PLANS: Record<string, Record<string, SpanPlan[]>> = {
  'isesco-education-meeting': {
    Leyla: [
      ['Emin Amrullayev', 'PERSON', 'all'],
      ['Salim bin Muhammad al-Malik', 'PERSON', 'all'],
      ['ISESCO', 'ORG', 'all'],
      ['Ministry of Science and Education', 'ORG', 'all'],
      ['student exchange programs', 'PROGRAM', 'all']
    ],
    Rashad: [
      ['Emin Amrullayev', 'PERSON', 'all'],
      ['Director General Salim bin Muhammad al-Malik', 'PERSON', 'all', 'Is the title part of the name?'],
      ['ISESCO', 'ORG', [0, 1, 2, 3, 4, 5, 6]],
      ['Ministry of Science and Education', 'ORG', [0]],
      ['Ministry of Science and Education', 'PROGRAM', [1]],
      ['student exchange programs', 'PROGRAM', [0]],
      ['STEAM-based training', 'PROGRAM', 'all']
    ]
  },
  'icesco-science-cooperation': {
    Leyla: [
      ['Laman Ismayilova', 'PERSON', 'all'],
      ['Vasif Eyvazzade', 'PERSON', 'all'],
      ['Leyla Taghizade', 'PERSON', 'all'],
      ['Raheel Qamar', 'PERSON', 'all'],
      ['Ilham Aliyev', 'PERSON', 'all'],
      ['Islamic World Educational, Scientific, and Cultural Organization', 'ORG', 'all'],
      ['ICESCO', 'ORG', 'all'],
      ['Azerbaijan National Commission for Education, Science, and Culture', 'ORG', 'all'],
      ['United Nations', 'ORG', 'all'],
      ['Baku Process', 'EVENT', 'all'],
      ['5th World Forum on Intercultural Dialogue', 'EVENT', 'all'],
      ['three-day boot camp', 'PROGRAM', 'all'],
      ['six-week course', 'PROGRAM', 'all']
    ],
    Rashad: [
      ['Laman Ismayilova', 'PERSON', 'all'],
      ['Vasif Eyvazzade', 'PERSON', 'all'],
      ['Leyla Taghizade', 'PERSON', 'all'],
      ['President Ilham Aliyev', 'PERSON', 'all'],
      ['Islamic World Educational, Scientific, and Cultural Organization', 'ORG', 'all'],
      ['ICESCO', 'ORG', 'all'],
      ['Azerbaijan National Commission for Education, Science, and Culture', 'ORG', 'all'],
      ['Sector of Science and Technology', 'ORG', [0]],
      ['United Nations', 'ORG', 'all'],
      ['Baku Process', 'PROGRAM', 'all', 'An initiative, so a programme?'],
      ['World Forum on Intercultural Dialogue', 'EVENT', 'all'],
      ['three-day boot camp', 'PROGRAM', 'all']
    ]
  }
}

/** Offsets in code points, as the JSONL export and import use them. */
function codePointOffset(text: string, utf16: number): number {
  return [...text.slice(0, utf16)].length
}

function occurrencesOf(text: string, needle: string): number[] {
  const found: number[] = []
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) found.push(at)
  return found
}

const lines: string[] = []
for (const [name, byAnnotator] of Object.entries(PLANS)) {
  const text = readFileSync(join(FOLDER, `${name}.txt`), 'utf8')
  const spans = []
  for (const [annotator, plans] of Object.entries(byAnnotator)) {
    for (const [needle, tag, which, note] of plans) {
      const all = occurrencesOf(text, needle)
      if (all.length === 0) throw new Error(`${name}: "${needle}" does not occur`)
      const chosen = which === 'all' ? all : which.map((index) => all[index])
      for (const start of chosen) {
        if (start === undefined) throw new Error(`${name}: "${needle}" has fewer occurrences than asked for`)
        const span: Record<string, unknown> = {
          start: codePointOffset(text, start),
          end: codePointOffset(text, start + needle.length),
          label: tag,
          text: needle,
          annotator,
          created: CREATED[annotator as keyof typeof CREATED]
        }
        if (note) span.note = note
        spans.push(span)
      }
    }
  }
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex')
  lines.push(JSON.stringify({ id: name, name, text, sha256, offsets: 'codepoint', spans }))
}
writeFileSync(join(FOLDER, 'annotations.jsonl'), `${lines.join('\n')}\n`)
console.log(`wrote ${join(FOLDER, 'annotations.jsonl')}`)
