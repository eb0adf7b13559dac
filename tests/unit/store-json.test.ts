import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Low } from 'lowdb'
import { z } from 'zod'
import { DurableJsonFile, openJsonFile, type StoredFileKind } from '../../src/main/store/json-store'
import { findJsonSyntaxError } from '../../src/main/store/json-syntax-error'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'
import { caught } from '../helpers/caught'

interface Notebook {
  format: 'test-notebook'
  schemaVersion: number
  title: string
  pages: string[]
  tags: string[]
}

// Version 1 stored `heading`; version 2 renamed it to `title` and added `tags`.
const NOTEBOOK: StoredFileKind<Notebook> = {
  format: 'test-notebook',
  description: 'notebook',
  currentVersion: 2,
  schema: z.object({
    format: z.literal('test-notebook'),
    schemaVersion: z.number().int(),
    title: z.string().min(1),
    pages: z.array(z.string()),
    tags: z.array(z.string()).default([])
  }),
  migrations: {
    1: ({ heading, ...rest }) => ({ ...rest, title: heading })
  }
}

const empty: Notebook = { format: 'test-notebook', schemaVersion: 2, title: 'Untitled', pages: [], tags: [] }


async function plant(contents: string): Promise<{ dir: string; path: string }> {
  const dir = await makeTempFolder()
  const path = join(dir, 'notebook.json')
  await writeFile(path, contents)
  return { dir, path }
}

describe('DurableJsonFile', () => {
  it('starts from the default when the file is missing, and reads back what it wrote', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'notebook.json')
    const db = openJsonFile(path, NOTEBOOK, structuredClone(empty))
    await db.read()
    expect(db.data).toEqual(empty)
    await db.update((data) => {
      data.title = 'Field notes'
      data.pages.push('Ayşə met ISESCO.')
    })
    const reopened = new Low(new DurableJsonFile(path, NOTEBOOK), structuredClone(empty))
    await reopened.read()
    expect(reopened.data).toEqual({ ...empty, title: 'Field notes', pages: ['Ayşə met ISESCO.'] })
    expect(await listFilesRecursively(dir)).toEqual(['notebook.json'])
  })

  it('migrates an old version, fills defaults and drops unknown keys', async () => {
    const { path } = await plant(
      JSON.stringify({ format: 'test-notebook', schemaVersion: 1, heading: 'Old', pages: ['p'], colour: 'red' })
    )
    const db = openJsonFile(path, NOTEBOOK, structuredClone(empty))
    await db.read()
    expect(db.data).toEqual({ format: 'test-notebook', schemaVersion: 2, title: 'Old', pages: ['p'], tags: [] })
  })

  it('reports a truncated file with its path and line, and never overwrites it', async () => {
    const original = '{\n  "format": "test-notebook",\n  "schemaVersion": 2,\n  "title": "Notes",\n  "pages": ["one", "tw'
    const { path } = await plant(original)
    const db = openJsonFile(path, NOTEBOOK, structuredClone(empty))
    const error = await caught(db.read())
    expect(error.code).toBe('corrupt-store')
    expect(error.path).toBe(path)
    expect(error.line).toBe(5)
    expect(error.message).toContain(path)
    expect(error.message).toContain('line 5')
    expect(error.message).toMatch(/cut short/)

    db.data.title = 'Replacement'
    const refused = await caught(db.write())
    expect(refused.code).toBe('corrupt-store')
    expect(refused.message).toMatch(/^Not saved: /)
    expect(await readFile(path, 'utf8')).toBe(original)
  })

  it('names the field when the structure is wrong, and refuses to write', async () => {
    const original = JSON.stringify({ format: 'test-notebook', schemaVersion: 2, title: 'T', pages: [1, 2] }, null, 2)
    const { path } = await plant(original)
    const db = openJsonFile(path, NOTEBOOK, structuredClone(empty))
    const error = await caught(db.read())
    expect(error.code).toBe('corrupt-store')
    expect(error.message).toContain('field "pages.0"')
    await caught(db.write())
    expect(await readFile(path, 'utf8')).toBe(original)
  })

  it('refuses a file of another format', async () => {
    const { path } = await plant(JSON.stringify({ format: 'something-else', schemaVersion: 1 }))
    const error = await caught(openJsonFile(path, NOTEBOOK, structuredClone(empty)).read())
    expect(error.message).toContain('its "format" is "something-else", expected "test-notebook"')
  })

  it('refuses a newer schema version without touching the file', async () => {
    const original = JSON.stringify({ format: 'test-notebook', schemaVersion: 7, title: 'Future', pages: [] })
    const { path } = await plant(original)
    const db = openJsonFile(path, NOTEBOOK, structuredClone(empty))
    const error = await caught(db.read())
    expect(error.code).toBe('unsupported-version')
    expect(error.message).toMatch(/newer version of Quire \(schema version 7; this version reads up to 2\)/)
    await caught(db.write())
    expect(await readFile(path, 'utf8')).toBe(original)
  })

  it('checks the file before a write that was not preceded by a read', async () => {
    const original = '{"format": "test-notebook", '
    const { path } = await plant(original)
    const error = await caught(new DurableJsonFile(path, NOTEBOOK).write(structuredClone(empty)))
    expect(error.code).toBe('corrupt-store')
    expect(await readFile(path, 'utf8')).toBe(original)
  })

  it('reads the file afresh once reopened after a repair', async () => {
    const { path } = await plant('{')
    await caught(openJsonFile(path, NOTEBOOK, structuredClone(empty)).read())
    await writeFile(path, JSON.stringify({ ...empty, title: 'Repaired' }))
    const reopened = openJsonFile(path, NOTEBOOK, structuredClone(empty))
    await reopened.read()
    expect(reopened.data.title).toBe('Repaired')
  })

  it('refuses to write data that would not read back', async () => {
    const dir = await makeTempFolder()
    const path = join(dir, 'notebook.json')
    const error = await caught(new DurableJsonFile(path, NOTEBOOK).write({ ...empty, title: '' }))
    expect(error.code).toBe('internal')
    expect(await listFilesRecursively(dir)).toEqual([])
  })

  it.each([
    ['empty', ''],
    ['not UTF-8', '\u00ff'],
    ['an array', '[1, 2]'],
    ['no schemaVersion', '{"format": "test-notebook"}']
  ])('refuses a file that is %s', async (_label, contents) => {
    const bytes = contents === '\u00ff' ? Uint8Array.from([0x7b, 0xff, 0x7d]) : new TextEncoder().encode(contents)
    const dir = await makeTempFolder()
    const path = join(dir, 'notebook.json')
    await writeFile(path, bytes)
    const error = await caught(openJsonFile(path, NOTEBOOK, structuredClone(empty)).read())
    expect(error.code).toBe('corrupt-store')
    expect(Buffer.compare(await readFile(path), Buffer.from(bytes))).toBe(0)
  })
})

describe('findJsonSyntaxError', () => {
  it('finds nothing wrong in valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        expect(findJsonSyntaxError(json)).toBeNull()
        expect(findJsonSyntaxError(JSON.stringify(JSON.parse(json), null, 2))).toBeNull()
      })
    )
  })

  it('agrees with JSON.parse on what is invalid', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('', '}', ',', '"', 'x'), (json, cut, insert) => {
        const position = cut % (json.length + 1)
        const damaged = json.slice(0, position) + insert + json.slice(position + (insert === '' ? 1 : 0))
        let valid = true
        try {
          JSON.parse(damaged)
        } catch {
          valid = false
        }
        expect(findJsonSyntaxError(damaged) === null).toBe(valid)
      })
    )
  })

  it.each([
    ['{\n  "a": 1,\n  "b": }', 3, 8, 'unexpected "}"'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}" after a property value, found """'],
    ['[1, 2,\n', 2, 1, 'the file ends too early (it may have been cut short)'],
    ['{"a": "b\nc"}', 1, 9, 'control character inside a string'],
    ['{} x', 1, 4, 'unexpected text after the end of the JSON value']
  ])('locates the error in %j', (text, line, column, message) => {
    expect(findJsonSyntaxError(text)).toEqual({ line, column, message })
  })
})
