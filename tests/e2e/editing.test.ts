// Editing texts in a real Chromium against the browser edition: the sample project's isesco
// text (a PDF extraction: doubled lines, hard wraps, a split "co-operation", whitespace lines)
// cleaned step by step in edit mode while your spans and a colleague's follow; then typing in
// edit mode with spans following every keystroke, a span lost and brought back by undo, and
// the saved revision read back from disk.
//
// Screenshots: run with QUIRE_SCREENSHOTS=DIR to keep them (editing-*.png: the raw text with
// spans, edit mode, the cleanup dialog's preview, each step applied, the cleaned text in the
// reader, typing with spans following, a lost span), e.g.
//   QUIRE_SCREENSHOTS=/tmp/editing-shots npx vitest run --project e2e tests/e2e/editing.test.ts
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnotationEdit, CleanupStepId } from '../../src/shared/model'
import { asUtf16 } from '../../src/shared/model'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'
import { boxOfText } from '../helpers/reader-page'
import { screenshotsFor, type Screenshots } from '../helpers/screenshots'

let browser: Browser
let screenshots: Screenshots

beforeAll(async () => {
  browser = await launchChromium()
  screenshots = await screenshotsFor('editing')
})
afterAll(async () => {
  await browser?.close()
  await screenshots?.finish()
})

function shoot(page: Page, name: string): Promise<void> {
  return screenshots.shoot(page, name)
}

const ME = 'Ayla'
const DOCUMENT = 'isesco-education-meeting'
const FIRST_PARAGRAPH =
  'On October 4, Azerbaijani Science and Education Minister Emin Amrullayev met with a delegation from the Islamic World Education, ' +
  'Scientific, and Cultural Organization (ISESCO) led by Director General Salim bin Muhammad al-Malik.'
/** Spans made on the raw text (first occurrences, inside the first copy of each doubled line). */
const NAMES: [string, string][] = [
  ['Emin Amrullayev', 'PERSON'],
  ['ISESCO', 'ORG'],
  ['Salim bin Muhammad al-Malik', 'PERSON'],
  ['Ministry of Science and Education', 'ORG']
]

interface Opened {
  quire: LaunchedQuire
  page: Page
  problems: string[]
  documentId: string
}

/** The sample project opened on the isesco text as Ayla, with her spans on the raw text and Rashad's layer shown. */
async function openSampleText(): Promise<Opened> {
  const quire = await launchQuire({ project: 'none' })
  const { page, problems } = await openQuirePage(browser, quire)
  const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
  await nameDialog.getByLabel('Your name').fill(ME)
  await nameDialog.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('button', { name: 'Open sample project' }).click()
  // The project opens on its first document.
  await page.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()
  const documentId = (await quire.edition.backend.listDocuments(ME)).find((document) => document.name === DOCUMENT)?.id
  if (!documentId) throw new Error('sample document missing')
  const { text } = await quire.edition.backend.getDocument({ documentId, annotator: ME })
  const edits: AnnotationEdit[] = NAMES.map(([words, tag], index) => {
    const start = text.indexOf(words)
    if (start < 0) throw new Error(`"${words}" is not in the sample text`)
    return { op: 'add', annotation: { id: `a${index + 1}`, start: asUtf16(start), end: asUtf16(start + words.length), tag } }
  })
  await quire.edition.backend.applyAnnotationEdits({ documentId, annotator: ME }, edits)
  await page.reload()
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: new RegExp(DOCUMENT) }).click()
  await page.getByRole('heading', { name: DOCUMENT }).waitFor()
  await page.getByRole('tab', { name: /^Layers/ }).click()
  await page.getByRole('checkbox', { name: "Show Rashad's layer" }).check()
  return { quire, page, problems, documentId }
}

async function savedSpans(quire: LaunchedQuire, documentId: string, annotator = ME): Promise<{ text: string; covered: string; tag: string }[]> {
  const content = await quire.edition.backend.getDocument({ documentId, annotator })
  return content.annotations.map((annotation) => ({ text: annotation.text, covered: content.text.slice(annotation.start, annotation.end), tag: annotation.tag }))
}

async function enterEditMode(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Edit text/ }).click()
  await page.getByRole('textbox', { name: 'Document text, editable' }).waitFor()
}

/** Runs one cleanup step through the dialog; returns its previewed count ("12 changes"). A step with nothing to change is cancelled. */
async function applyCleanupStep(page: Page, step: CleanupStepId, label: RegExp): Promise<string> {
  await page.getByRole('button', { name: 'Clean up text…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Clean up the text' })
  await dialog.waitFor()
  for (const checkbox of await dialog.getByRole('checkbox').all()) {
    const name = (await checkbox.evaluate((element) => (element as unknown as { parentElement: { textContent: string } }).parentElement.textContent)) ?? ''
    if (label.test(name)) await checkbox.check()
    else await checkbox.uncheck()
  }
  const count = dialog.getByTestId(`cleanup-count-${step}`)
  await count.waitFor()
  await expect.poll(() => dialog.getByRole('status').textContent()).not.toContain('Previewing')
  const counted = (await count.textContent()) ?? ''
  await shoot(page, `3-preview-${step}`)
  if (counted.startsWith('0 ')) {
    expect(await dialog.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  } else {
    await dialog.getByRole('button', { name: 'Apply' }).click()
  }
  await dialog.waitFor({ state: 'detached' })
  return counted
}

describe('editing texts (browser edition)', () => {
  it('keeps the text where the reader drew it when E opens the editor, and when Esc closes it', async () => {
    const { quire, page, problems } = await openSampleText()
    try {
      // The first words with text (the sample starts with blank lines), in the reader and in the editor.
      const firstWords = 'On October 4'
      const inReader = (await boxOfText(page, firstWords)).y
      await page.locator('[data-testid="reader"]').focus()
      await page.keyboard.press('e')
      await page.getByRole('textbox', { name: 'Document text, editable' }).waitFor()
      await page.locator('.cm-line').first().waitFor()
      expect(Math.abs((await boxOfText(page, firstWords, '[data-testid="text-editor"]')).y - inReader)).toBeLessThanOrEqual(1)
      await page.keyboard.press('Escape')
      await page.locator('[data-testid="reader"] .block').first().waitFor()
      expect(Math.abs((await boxOfText(page, firstWords)).y - inReader)).toBeLessThanOrEqual(1)
      expect(problems).toEqual([])
    } finally {
      await quire.close()
    }
  })

  it('cleans the sample PDF extraction step by step, keeping every span on its name', async () => {
    const { quire, page, problems, documentId } = await openSampleText()
    try {
      const rashadBefore = await savedSpans(quire, documentId, 'Rashad')
      await shoot(page, '1-raw-text')
      await enterEditMode(page)
      await page.locator('.cm-span-other').first().waitFor()
      await shoot(page, '2-edit-mode')

      // All five steps in the preview first: counts and examples, nothing changed yet.
      await page.getByRole('button', { name: 'Clean up text…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Clean up the text' })
      await dialog.getByTestId('cleanup-count-undouble').waitFor()
      await shoot(page, '3-preview-all-steps')
      expect(await dialog.getByRole('list', { name: 'Examples: Join words split at line ends' }).textContent()).toContain('co-')
      await dialog.getByRole('button', { name: 'Cancel' }).click()

      const steps: [CleanupStepId, RegExp][] = [
        ['undouble', /Remove doubled lines/],
        ['unwrap', /Join hard-wrapped lines/],
        ['dehyphenate', /Join words split/],
        ['blank-lines', /Tidy blank lines/],
        ['spaces', /Tidy spaces/]
      ]
      // Every step but the last has work on this text (blank-lines leaves no runs of spaces behind).
      let revisions = 0
      for (const [step, label] of steps) {
        const counted = await applyCleanupStep(page, step, label)
        expect(counted, step).toMatch(step === 'spaces' ? /^\d[\d,]* changes?$/ : /^[1-9][\d,]* changes?$/)
        if (!counted.startsWith('0 ')) revisions++
        await expect.poll(async () => (await quire.edition.backend.getTextHistory(documentId)).revisions.length, { timeout: 10_000 }).toBe(revisions)
        // After every step each span still covers its name.
        expect((await savedSpans(quire, documentId)).map((span) => [span.covered, span.tag])).toEqual(NAMES)
        await shoot(page, `4-after-${step}`)
      }

      const { text } = await quire.edition.backend.getDocument({ documentId, annotator: ME })
      expect(text.split('\n').find((line) => line.trim() !== '')).toBe(FIRST_PARAGRAPH)
      expect(text).toContain('cooperation in the field of education')
      expect(text).not.toMatch(/ {2,}|[ \t]+\n|\n\n\n/)
      for (const span of await savedSpans(quire, documentId)) expect(span.text).toBe(span.covered)
      // The colleague's layer followed too: same names, now in the clean text.
      const rashadAfter = await savedSpans(quire, documentId, 'Rashad')
      for (const span of rashadAfter) expect(span.text).toBe(span.covered)
      expect(new Set(rashadAfter.map((span) => span.covered))).toEqual(new Set(rashadBefore.map((span) => span.text)))

      await page.getByRole('button', { name: 'Done', exact: true }).click()
      await page.getByRole('document', { name: 'Document text' }).waitFor()
      await expect.poll(() => page.locator('[data-testid="reader"]').textContent()).toContain(FIRST_PARAGRAPH)
      await shoot(page, '5-cleaned-in-reader')
      expect(problems).toEqual([])
    } finally {
      await quire.close()
    }
  })

  it('follows typing with every span, loses a span whose text is deleted and brings it back with undo', async () => {
    const { quire, page, problems, documentId } = await openSampleText()
    try {
      await enterEditMode(page)
      const own = page.locator('.cm-span-own')
      await own.first().waitFor()

      // Find "Amrullayev" (Ctrl+F), put the caret at its start, and type inside the span.
      await page.keyboard.press('Control+f')
      await page.keyboard.type('Amrullayev')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Escape')
      await page.keyboard.press('ArrowLeft')
      await page.keyboard.type('Q. ')
      await expect.poll(() => own.first().textContent()).toBe('Emin Q. Amrullayev')
      // At the span's end: the span does not grow.
      await page.keyboard.press('Control+f')
      await page.keyboard.press('Control+a')
      await page.keyboard.type('Amrullayev met')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Escape')
      await page.keyboard.press('ArrowLeft')
      for (let i = 0; i < 'Amrullayev'.length; i++) await page.keyboard.press('ArrowRight')
      await page.keyboard.type(' Jr')
      await expect.poll(() => own.first().textContent()).toBe('Emin Q. Amrullayev')
      await expect.poll(() => page.getByTestId('text-save-state').textContent(), { timeout: 10_000 }).toBe('Saved')
      await shoot(page, '6-typing-spans-follow')
      const afterTyping = await savedSpans(quire, documentId)
      expect(afterTyping[0]).toMatchObject({ text: 'Emin Q. Amrullayev', covered: 'Emin Q. Amrullayev' })
      expect(page.locator('.cm-span-check').first()).toBeTruthy()

      // Select "ISESCO" (the span's whole text) and delete it: the span is lost, and listed.
      await page.keyboard.press('Control+f')
      await page.keyboard.press('Control+a')
      await page.keyboard.type('(ISESCO)')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Escape')
      await page.keyboard.press('Backspace')
      const lost = page.getByRole('list', { name: 'Spans lost in editing' })
      await expect.poll(() => lost.textContent()).toContain('ISESCO')
      await shoot(page, '7-span-lost')
      await page.keyboard.press('Control+z')
      await expect.poll(() => lost.count()).toBe(0)
      await page.keyboard.press('Control+s')
      await expect.poll(() => page.getByTestId('text-save-state').textContent(), { timeout: 10_000 }).toBe('Saved')
      expect((await savedSpans(quire, documentId)).map((span) => span.covered)).toContain('ISESCO')

      // Escape leaves edit mode; the reader shows the saved text with the span flagged.
      await page.getByRole('textbox', { name: 'Document text, editable' }).focus()
      await page.keyboard.press('Escape')
      await page.getByRole('document', { name: 'Document text' }).waitFor()
      await expect.poll(() => page.locator('[data-testid="reader"]').textContent()).toContain('Emin Q. Amrullayev Jr met')
      await shoot(page, '8-reader-after-typing')

      // The changed span says so in the reader (its chip, not only a colour); its popover confirms it.
      const flagged = page.locator('[data-labels*="check"]').first()
      await flagged.waitFor()
      await flagged.click()
      // Rashad's span covers the same words: the popover first asks which; yours is listed first.
      const choice = page.locator('.choice-list .choice').first()
      await page.getByRole('dialog').first().waitFor()
      if ((await choice.count()) > 0) await choice.click()
      const popover = page.getByRole('dialog').filter({ hasText: 'Text changed — check.' })
      await popover.waitFor()
      expect(await popover.textContent()).toContain('it was “Emin Amrullayev”')
      await shoot(page, '9-text-changed-popover')
      await popover.getByRole('button', { name: 'Confirm' }).click()
      await expect.poll(async () => (await quire.edition.backend.getDocument({ documentId, annotator: ME })).annotations.find((a) => a.text === 'Emin Q. Amrullayev')?.textCheck).toBeUndefined()
      expect(problems).toEqual([])
    } finally {
      await quire.close()
    }
  })
})
