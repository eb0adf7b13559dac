// One writer per project, across real processes: while another Quire process has the project
// open, a second one (desktop or browser edition, same backend) gets it read-only with a clear
// reason and every save refused; once that process is killed, its stale lock is taken over.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { asUtf16 } from '../../src/shared/model'
import { QuireBackend } from '../../src/main/backend'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'

const ANNOTATOR = 'Leyla Aliyeva'
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

function backendFor(userDataDir: string): QuireBackend {
  return new QuireBackend({ userDataDir, sampleTextsDir: userDataDir, edition: 'browser', version: 'test', osUserName: 'leyla', dialogs: null })
}

/** Another Quire process with the project open: the torture child opens it with the real services. */
async function holdProjectInAnotherProcess(projectDir: string, userDataRoot: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'bench', 'torture-child.ts'), projectDir, userDataRoot, ANNOTATOR], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('ready\n')) resolve()
      else if (output.includes('crash')) reject(new Error(output))
    })
    child.on('exit', (code) => reject(new Error(`the holding process exited (${code}): ${output}`)))
  })
  return child
}

describe('a second Quire on the same project', () => {
  it('opens read-only with the holder named, refuses saves, and takes over once the holder is killed', async () => {
    const root = await makeTempFolder()
    const projectDir = join(root, 'project')
    const mine = backendFor(join(root, 'mine'))
    await mine.setAnnotatorName(ANNOTATOR)
    await mine.createProject(projectDir, 'Interviews')
    const report = await mine.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode('Emin Amrullayev met ISESCO.') }])
    const documentId = report.imported[0]?.documentId as string
    const layer = { documentId, annotator: ANNOTATOR }
    await mine.closeProject()

    const holder = await holdProjectInAnotherProcess(projectDir, join(root, 'holder'))
    const opened = await mine.openProject(projectDir)
    expect(opened.readOnly).toBe(true)
    expect(opened.readOnlyReason).toMatch(new RegExp(`^Another Quire \\(process ${holder.pid}\\) on this computer has had this project open since .+ It is opened read-only here`))
    const before = await listFilesRecursively(projectDir)
    const refusal = await mine
      .applyAnnotationEdits(layer, [{ op: 'add', annotation: { id: 'a1', start: asUtf16(0), end: asUtf16(4), tag: 'PERSON' } }])
      .catch((error: unknown) => error)
    expect(refusal).toMatchObject({ code: 'read-only', message: expect.stringMatching(/^Not saved: Another Quire/) })
    await expect(mine.setDocumentStatus(layer, 'done')).rejects.toMatchObject({ code: 'read-only' })
    expect(await listFilesRecursively(projectDir)).toEqual(before)
    // Reading still works: a reviewer can look while the other window edits.
    expect((await mine.getDocument(layer)).text).toBe('Emin Amrullayev met ISESCO.')

    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    await mine.closeProject()
    const reopened = await mine.openProject(projectDir)
    expect(reopened.readOnly).toBe(false)
    await mine.applyAnnotationEdits(layer, [{ op: 'add', annotation: { id: 'a1', start: asUtf16(0), end: asUtf16(4), tag: 'PERSON' } }])
    expect((await mine.getDocument(layer)).annotations.map((a) => a.id)).toEqual(['a1'])
    await mine.closeProject()
  }, 30_000)
})
