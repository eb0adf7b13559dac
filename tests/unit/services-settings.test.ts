import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_RECENT_PROJECTS, SettingsService } from '../../src/main/services/settings-service'
import { makeTempFolder } from '../fixtures/temp-folder'

describe('SettingsService', () => {
  it('starts empty and keeps the annotator name across restarts', async () => {
    const dir = join(await makeTempFolder(), 'not-yet-created')
    const settings = await SettingsService.open(dir)
    expect(settings.settings).toEqual({ annotatorName: null, recentProjects: [], colourScheme: 'system' })
    expect(await settings.setAnnotatorName('  Ayşə Məmmədova ')).toEqual({ annotatorName: 'Ayşə Məmmədova', recentProjects: [], colourScheme: 'system' })
    expect((await SettingsService.open(dir)).annotatorName).toBe('Ayşə Məmmədova')
  })

  it('remembers every name held since it started, so edits made before a rename still save to that layer', async () => {
    const dir = await makeTempFolder()
    const settings = await SettingsService.open(dir)
    await settings.setAnnotatorName('Ayşə')
    await settings.setAnnotatorName('Ayşə Məmmədova')
    expect(settings.hasHeldName('Ayşə')).toBe(true)
    expect(settings.hasHeldName('Ayşə Məmmədova')).toBe(true)
    expect(settings.hasHeldName('Rashad')).toBe(false)
    // After a restart only the current name is one's own.
    const restarted = await SettingsService.open(dir)
    expect(restarted.hasHeldName('Ayşə Məmmədova')).toBe(true)
    expect(restarted.hasHeldName('Ayşə')).toBe(false)
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['tab\there', /control characters/],
    ['curation', /gold layer/],
    ['Curation', /gold layer/]
  ])('refuses the annotator name %j', async (name, message) => {
    const settings = await SettingsService.open(await makeTempFolder())
    await expect(settings.setAnnotatorName(name)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(message) })
    expect(settings.annotatorName).toBeNull()
  })

  it('keeps the colour scheme across restarts, reads a file without one as "system" and refuses others', async () => {
    const dir = await makeTempFolder()
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ format: 'quire-settings', schemaVersion: 1, annotatorName: 'Leyla', recentProjects: [] }))
    const settings = await SettingsService.open(dir)
    expect(settings.settings.colourScheme).toBe('system')
    expect((await settings.setColourScheme('dark')).colourScheme).toBe('dark')
    expect((await SettingsService.open(dir)).settings).toMatchObject({ annotatorName: 'Leyla', colourScheme: 'dark' })
    await expect(settings.setColourScheme('sepia' as never)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/"sepia" is not a colour scheme/) })
    expect((await SettingsService.open(dir)).settings.colourScheme).toBe('dark')
  })

  it('keeps the ten most recent projects, most recent first, each once', async () => {
    const dir = await makeTempFolder()
    const settings = await SettingsService.open(dir)
    for (let index = 0; index < 12; index++) await settings.addRecentProject(`/projects/p${index}`, `P${index}`)
    await settings.addRecentProject('/projects/p5/', 'P5 again')
    const recent = (await SettingsService.open(dir)).settings.recentProjects
    expect(recent).toHaveLength(MAX_RECENT_PROJECTS)
    expect(recent.map((project) => project.path)).toEqual(
      ['/projects/p5', '/projects/p11', '/projects/p10', '/projects/p9', '/projects/p8', '/projects/p7', '/projects/p6', '/projects/p4', '/projects/p3', '/projects/p2']
    )
    expect(recent[0]?.name).toBe('P5 again')
  })

  it('moves an unreadable settings file aside, keeping its bytes, and starts fresh', async () => {
    const dir = await makeTempFolder()
    const damaged = '{"format": "quire-settings", "schemaVersion": 1, "annotatorName": "Ley'
    await writeFile(join(dir, 'settings.json'), damaged)
    const settings = await SettingsService.open(dir)
    expect(settings.settings).toEqual({ annotatorName: null, recentProjects: [], colourScheme: 'system' })
    expect(settings.startupProblem).toMatch(/settings\.json cannot be read: line 1.*It was kept as .*settings\.unreadable-/)
    const aside = (await readdir(dir)).find((name) => name.startsWith('settings.unreadable-'))
    expect(aside).toBeDefined()
    expect(await readFile(join(dir, aside as string), 'utf8')).toBe(damaged)
    await settings.setAnnotatorName('Leyla')
    expect((await SettingsService.open(dir)).annotatorName).toBe('Leyla')
  })
})
