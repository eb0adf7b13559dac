// Team sync for a project folder that lives in a git repository, through the system `git`.
// Why the system git and not isomorphic-git: a sync must be `pull --rebase` (each annotator's
// commits replayed on top of the colleagues', no merge commits), which isomorphic-git cannot
// do; and the system git brings the user's own credentials, credential helpers, SSH keys and
// config, which an embedded git would have to re-implement. The cost is that git must be
// installed (gitSyncStatus says whether it is) and that we read its output, so only its
// machine-readable forms are parsed (-z path lists, `push --porcelain`).
import { execFile } from 'node:child_process'
import { realpath, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path'
import { annotatorFileName, asciiSlug, DOCUMENT_ID_PATTERN } from '../../core/ids'
import { QuireError } from '../../shared/api'
import { CURATION_ANNOTATOR, type GitSyncResult, type GitSyncStatus } from '../../shared/model'
import {
  ANNOTATIONS_FOLDER,
  DOCUMENT_FILE_NAME,
  DOCUMENTS_FOLDER,
  LOCAL_STATE_FOLDER,
  PROJECT_FILE_NAME,
  ENTITIES_FILE_NAME,
  sha256Hex,
  TEXT_FILE_NAME
} from '../store/project-store'

const LOCAL_TIMEOUT_MS = 60_000
// Fetching or pushing a large corpus over a slow line takes a while; a credential helper
// waiting on a window the user never sees must not block the app forever either.
const NETWORK_TIMEOUT_MS = 5 * 60_000
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024
const NAMED_FILES_MAX = 5
// Files operating systems drop into folders on their own (as in project-store.ts).
const SYSTEM_LITTER = new Set(['Thumbs.db', 'desktop.ini'])

export async function gitSyncStatus(projectDir: string, options: { annotator: string }): Promise<GitSyncStatus> {
  const annotator = checkAnnotator(options.annotator)
  const status: GitSyncStatus = {
    available: await gitIsInstalled(),
    repository: false,
    branch: null,
    upstream: null,
    ahead: 0,
    behind: 0,
    changedOwnFiles: 0,
    otherChanges: [],
    operationInProgress: null
  }
  if (!status.available) return status
  const located = await locateRepository(projectDir)
  if (!('top' in located)) return status
  status.repository = true
  status.operationInProgress = await operationInProgress(located)
  status.branch = await currentBranch(located)
  const upstream = status.branch === null ? null : await upstreamOf(located, status.branch)
  status.upstream = upstream?.name ?? null
  if (upstream && (await commitExists(located, upstream.ref)) && (await commitExists(located, 'HEAD'))) {
    const counts = await git(located.top, ['rev-list', '--left-right', '--count', `HEAD...${upstream.ref}`])
    const [ahead, behind] = counts.stdout.trim().split(/\s+/).map(Number)
    status.ahead = ahead ?? 0
    status.behind = behind ?? 0
  }
  const review = await reviewChanges(located, annotator)
  status.changedOwnFiles = review.own.length
  status.otherChanges = review.blocking.map((blocker) => blocker.path)
  return status
}

/**
 * Commits this annotator's files, pulls the colleagues' commits (rebasing onto them) and
 * pushes. Refuses before changing anything when the repository is not in a state to sync;
 * a pull that conflicts is undone, so the work tree, index and HEAD are as before the pull.
 * Once the pull has succeeded it never throws, so the caller always learns which files to
 * reload; a push that fails is reported in the message.
 */
export async function syncProject(projectDir: string, options: { annotator: string }): Promise<GitSyncResult> {
  const annotator = checkAnnotator(options.annotator)
  if (!(await gitIsInstalled())) throw gitMissing()
  const located = await locateRepository(projectDir)
  if (!('top' in located)) throw notARepository(projectDir, located.reason)
  return inTurn(located.top, () => syncRepository(located, annotator))
}

interface Repository {
  /** The work tree's top folder, as git prints it. */
  top: string
  /** The .git folder of this work tree (a linked worktree has its own). */
  gitDir: string
  /** The project folder relative to `top`, with '/' and a trailing '/'; '' when they are the same. */
  projectPrefix: string
}

interface Upstream {
  /** e.g. "origin/main" */
  name: string
  /** The remote-tracking ref, e.g. "refs/remotes/origin/main". */
  ref: string
  remote: string
  /** The branch on the remote, e.g. "refs/heads/main". */
  remoteRef: string
}

async function syncRepository(repository: Repository, annotator: string): Promise<GitSyncResult> {
  const { top } = repository
  const inProgress = await operationInProgress(repository)
  if (inProgress) {
    throw new QuireError({
      code: 'invalid-argument',
      path: top,
      message:
        `Nothing was synced: a git ${inProgress} is in progress in ${top}. Finish it (git ${inProgress} --continue) ` +
        `or cancel it (git ${inProgress} --abort) in git, then sync again.`
    })
  }
  const branch = await currentBranch(repository)
  if (branch === null) {
    throw new QuireError({
      code: 'invalid-argument',
      path: top,
      message: `Nothing was synced: no branch is checked out in ${top} (HEAD is detached). Check out your branch in git (e.g. git switch main), then sync again.`
    })
  }
  const review = await reviewChanges(repository, annotator)
  if (review.blocking.length > 0) throw refusal(repository, review.blocking)

  const committed = review.own.map((change) => change.path)
  const commitMade = committed.length > 0 && (await commitOwnFiles(repository, annotator, review.own))
  const projectPaths = committed.map((path) => path.slice(repository.projectPrefix.length)).sort()
  const upstream = await upstreamOf(repository, branch)
  if (!upstream) {
    const commit = commitMade ? await shortHash(top) : null
    return {
      committed: projectPaths,
      commit,
      pulled: 0,
      pushed: false,
      changedByOthers: [],
      message: `${commitMade ? `Committed ${files(committed.length)} locally` : 'Nothing to commit'}; this repository has no remote branch to pull from or push to.`
    }
  }

  const before = (await commitExists(repository, 'HEAD')) ? (await git(top, ['rev-parse', 'HEAD'])).stdout.trim() : null
  await pullRebase(repository, annotator, upstream, before, commitMade)
  const pulled = Number((await git(top, ['rev-list', '--count', before === null ? upstream.ref : `${before}..${upstream.ref}`])).stdout.trim()) || 0
  const changedByOthers = pulled === 0 ? [] : await changedSince(repository, before)
  const commit = commitMade ? await shortHash(top) : null

  const ahead = Number((await git(top, ['rev-list', '--count', `${upstream.ref}..HEAD`])).stdout.trim()) || 0
  const done = [commitMade ? `committed ${files(committed.length)}` : null, pulled > 0 ? `received ${commits(pulled)} from colleagues` : null]
  if (ahead === 0) {
    const message = done.some(Boolean)
      ? `Synced with ${upstream.name}: ${sentenceList(done)}.`
      : `Already in step with ${upstream.name}: nothing to commit, receive or send.`
    return { committed: projectPaths, commit, pulled, pushed: false, changedByOthers, message }
  }
  const pushProblem = await push(repository, upstream)
  const result = { committed: projectPaths, commit, pulled, pushed: pushProblem === null, changedByOthers }
  if (pushProblem === null) {
    return { ...result, message: `Synced with ${upstream.name}: ${sentenceList([...done, `sent ${commits(ahead)}`])}.` }
  }
  const sofar = sentenceList(done)
  return { ...result, message: `${sofar ? capitalize(sofar) : 'Nothing new was committed or received'}, but ${pushProblem}.` }
}

// ---- what the sync commits ----------------------------------------------------------------

/** One changed path as `git status --porcelain` reports it. */
interface Change {
  /** Relative to the repository's top folder, '/'-separated. */
  path: string
  /** The index column: ' ' unchanged, '?' untracked, 'M', 'A', 'D', 'U'... */
  staged: string
  /** The work-tree column. */
  unstaged: string
}

interface Blocker {
  path: string
  /** What is wrong and how to resolve it, to follow the path in a sentence. */
  problem: string
}

interface ChangeReview {
  own: Change[]
  blocking: Blocker[]
}

async function reviewChanges(repository: Repository, annotator: string): Promise<ChangeReview> {
  const { top, projectPrefix } = repository
  // Tracked changes anywhere in the repository matter: `pull --rebase` refuses to start while
  // there are any. Untracked files only within the project folder: elsewhere they are not ours.
  const tracked = parseStatus(
    (await git(top, ['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=no', '--ignore-submodules=all'], { check: true })).stdout
  )
  const untracked = parseStatus(
    (
      await git(top, ['--literal-pathspecs', 'status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all', '--', projectPrefix || '.'], {
        check: true
      })
    ).stdout
  ).filter((change) => change.staged === '?')
  const changes = [...tracked, ...untracked]

  const projectPathOf = (change: Change): string | null => (change.path.startsWith(projectPrefix) ? change.path.slice(projectPrefix.length) : null)
  const layout: ProjectLayout = {
    projectPrefix,
    ownLayers: new Set([layerFileName(annotator), layerFileName(CURATION_ANNOTATOR)]),
    documentsWithRecord: new Set<string>(),
    newDocuments: new Set<string>()
  }
  for (const change of changes) {
    const place = placeInProject(projectPathOf(change))
    if (place.kind === 'document-file' && place.name === DOCUMENT_FILE_NAME && change.staged === '?') layout.newDocuments.add(place.documentId)
  }
  const documentsWithNewFiles = new Set<string>()
  for (const change of untracked) {
    const place = placeInProject(projectPathOf(change))
    if (place.kind === 'document-file' || place.kind === 'annotation') documentsWithNewFiles.add(place.documentId)
  }
  for (const documentId of documentsWithNewFiles) {
    if (await isFile(join(top, projectPrefix, DOCUMENTS_FOLDER, documentId, DOCUMENT_FILE_NAME))) layout.documentsWithRecord.add(documentId)
  }

  const review: ChangeReview = { own: [], blocking: [] }
  for (const change of changes) {
    const verdict = judgeChange(change, placeInProject(projectPathOf(change)), layout)
    if (verdict === 'own') review.own.push(change)
    else if (verdict !== 'skip') review.blocking.push({ path: change.path, problem: verdict })
  }
  return review
}

interface ProjectLayout {
  projectPrefix: string
  /** File names of the layers this annotator commits. */
  ownLayers: ReadonlySet<string>
  /** Documents whose document.json is on disk (only looked up for those with untracked files). */
  documentsWithRecord: Set<string>
  /** Documents whose document.json is not yet in git: imported here since the last commit. */
  newDocuments: Set<string>
}

type ProjectPlace =
  | { kind: 'outside' }
  | { kind: 'project-file' }
  | { kind: 'local-state' }
  | { kind: 'annotation'; documentId: string; fileName: string }
  | { kind: 'document-file'; documentId: string; name: string }
  | { kind: 'other' }

/** Where a path (relative to the project folder, or null when outside it) sits in the layout of docs/ARCHITECTURE.md. */
function placeInProject(projectPath: string | null): ProjectPlace {
  if (projectPath === null) return { kind: 'outside' }
  const parts = projectPath.split('/')
  if (projectPath === PROJECT_FILE_NAME || projectPath === ENTITIES_FILE_NAME) return { kind: 'project-file' }
  if (parts[0] === LOCAL_STATE_FOLDER) return { kind: 'local-state' }
  const documentId = parts[1]
  if (parts[0] !== DOCUMENTS_FOLDER || documentId === undefined || parts.length < 3 || !DOCUMENT_ID_PATTERN.test(documentId)) return { kind: 'other' }
  if (parts.length === 4 && parts[2] === ANNOTATIONS_FOLDER) return { kind: 'annotation', documentId, fileName: parts[3] ?? '' }
  return { kind: 'document-file', documentId, name: parts.slice(2).join('/') }
}

/**
 * 'own' when the sync commits the change, 'skip' when it neither commits nor minds it, else
 * why it stops the sync. Quire writes this annotator's layers and the gold layer, project.json,
 * and document folders once at import (text, record, the layers imported with them, later
 * revisions); it never deletes a project file and never writes a colleague's layer in
 * normal work, so such a change here is someone's mistake and must not reach the team.
 */
function judgeChange(change: Change, place: ProjectPlace, layout: ProjectLayout): 'own' | 'skip' | string {
  const { path, staged, unstaged } = change
  const restore = `git checkout HEAD -- ${path}`
  if (staged === 'U' || unstaged === 'U' || (staged === 'A' && unstaged === 'A') || (staged === 'D' && unstaged === 'D')) {
    return 'has an unresolved conflict (resolve it in git and commit it)'
  }
  const untracked = staged === '?'
  if (untracked) {
    const name = basename(path)
    if (name.startsWith('.') || SYSTEM_LITTER.has(name)) return 'skip'
  }
  const deleted = staged === 'D' || unstaged === 'D'
  switch (place.kind) {
    case 'outside':
      return untracked ? 'skip' : 'is changed and is outside the Quire project (commit, stash or undo that change in git)'
    case 'local-state':
      return untracked ? 'skip' : `is Quire's machine-local state but is tracked by git (git rm -r --cached ${layout.projectPrefix}${LOCAL_STATE_FOLDER} stops tracking it)`
    case 'other':
      return untracked ? 'skip' : `is not a Quire file and is changed (commit, stash or undo that change in git: ${restore} drops it)`
    default:
      break
  }
  if (deleted) return `was deleted here, and Quire never deletes project files (${restore} restores it)`
  if (place.kind === 'project-file') return 'own'
  // A folder without document.json is an import still running or interrupted: not yet a document.
  if (untracked && !layout.documentsWithRecord.has(place.documentId)) return 'skip'
  if (place.kind === 'annotation') {
    if (layout.ownLayers.has(place.fileName)) return 'own'
    // Layers imported together with a new document are part of that import.
    if (untracked && layout.newDocuments.has(place.documentId)) return 'own'
    return untracked
      ? "is another annotator's annotation file that appeared here (delete it, or add and commit it in git yourself to share it)"
      : `is another annotator's annotation file, changed here (${restore} drops the local change)`
  }
  if (untracked) return 'own'
  if (place.name === TEXT_FILE_NAME || place.name === DOCUMENT_FILE_NAME) return 'own'
  return `was changed here, but Quire writes it only once (${restore} drops the change)`
}

function refusal(repository: Repository, blockers: readonly Blocker[]): QuireError {
  const named = blockers.slice(0, NAMED_FILES_MAX).map((blocker) => `${blocker.path} ${blocker.problem}`)
  const more = blockers.length > NAMED_FILES_MAX ? `; and ${files(blockers.length - NAMED_FILES_MAX)} more (git status lists them)` : ''
  const first = blockers[0] as Blocker
  return new QuireError({
    code: 'invalid-argument',
    path: join(repository.top, first.path),
    message: `Nothing was synced: ${named.join('; ')}${more}. Resolve ${blockers.length === 1 ? 'it' : 'them'} in git in ${repository.top}, then sync again.`
  })
}

/** Stages and commits `own`; true when a commit was made. On failure the index is as it was. */
async function commitOwnFiles(repository: Repository, annotator: string, own: readonly Change[]): Promise<boolean> {
  const { top } = repository
  const paths = own.map((change) => change.path)
  // Explicit literal paths, never `add -A` or a glob: nothing else (.quire/ above all, even
  // without its .gitignore) can slip in. Read from stdin so thousands of paths fit.
  const pathList = paths.join('\0')
  // Only what this sync staged is unstaged again after a failure; changes the user had staged stay.
  const stagedHere = own.filter((change) => change.staged === ' ' || change.staged === '?').map((change) => change.path)
  const unstage = async (): Promise<void> => {
    if (stagedHere.length === 0) return
    await git(top, ['--literal-pathspecs', 'reset', '-q', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: stagedHere.join('\0') })
  }
  try {
    const added = await git(top, ['--literal-pathspecs', 'add', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: pathList })
    if (added.exitCode !== 0) throw commitFailure(repository, 'staging', added.stderr)
    const message = `Quire: ${annotator}'s annotations (${files(paths.length)})`
    // --only commits just these paths even if something else (a submodule) is staged.
    const committed = await git(
      top,
      [...(await identityOptions(top, annotator)), '--literal-pathspecs', 'commit', '--quiet', '--only', '-m', message, '--pathspec-from-file=-', '--pathspec-file-nul'],
      { input: pathList }
    )
    if (committed.exitCode !== 0) throw commitFailure(repository, 'committing', committed.stderr)
    return true
  } catch (error) {
    await unstage().catch(() => undefined)
    throw error
  }
}

/** `-c user.name/-c user.email` for what the user's git config does not set. */
async function identityOptions(top: string, annotator: string): Promise<string[]> {
  const options: string[] = []
  if ((await git(top, ['config', '--get', 'user.name'])).stdout.trim() === '') options.push('-c', `user.name=${annotator}`)
  if ((await git(top, ['config', '--get', 'user.email'])).stdout.trim() === '') {
    options.push('-c', `user.email=${asciiSlug(annotator) || 'annotator'}@quire.invalid`)
  }
  return options
}

function commitFailure(repository: Repository, step: string, stderr: string): QuireError {
  const summary = summarizeGitError(stderr)
  return new QuireError({
    code: /permission denied|read-only file system/i.test(stderr) ? 'read-only' : 'io',
    path: repository.top,
    message: `Nothing was synced: git failed while ${step} your files (${summary}). Nothing was committed; fix that in ${repository.top}, then sync again.`
  })
}

// ---- pull and push ------------------------------------------------------------------------

/** `git pull --rebase`; on any failure the rebase is aborted, so HEAD, index and work tree are as before. */
async function pullRebase(repository: Repository, annotator: string, upstream: Upstream, before: string | null, commitMade: boolean): Promise<void> {
  const { top } = repository
  let pulled: GitOutput
  try {
    // Replaying our commits makes new ones, which need a committer as much as our own commit did.
    const identity = await identityOptions(top, annotator)
    pulled = await git(top, [...identity, 'pull', '--rebase', '--no-autostash'], { timeoutMs: NETWORK_TIMEOUT_MS })
  } catch (error) {
    // Stopped by the timeout, possibly mid-rebase.
    await abortRebase(repository).catch(() => undefined)
    throw error
  }
  const kept = commitMade ? 'your annotations are committed locally' : 'nothing here was changed'
  if (pulled.exitCode === 0 && (await operationInProgress(repository)) === null) return
  if ((await operationInProgress(repository)) === 'rebase') {
    const conflicted = splitNul((await git(top, ['diff', '--name-only', '-z', '--diff-filter=U'])).stdout)
    await abortRebase(repository)
    if (conflicted.length > 0) throw await conflictError(repository, upstream, before, conflicted, kept)
    throw new QuireError({
      code: 'io',
      path: top,
      message:
        `The colleagues' changes from ${upstream.name} arrived but could not be combined with yours (${summarizeGitError(pulled.stderr)}): ` +
        `nothing was merged and ${kept}. Fix that in git in ${top}, then sync again.`
    })
  }
  throw new QuireError({
    code: 'io',
    path: top,
    message:
      `Could not get the colleagues' changes from ${upstream.name} (${summarizeGitError(pulled.stderr)}): nothing was merged and ${kept}. ` +
      'Check the network connection and your access to the repository, then sync again.'
  })
}

async function abortRebase(repository: Repository): Promise<void> {
  if ((await operationInProgress(repository)) !== 'rebase') return
  const aborted = await git(repository.top, ['rebase', '--abort'])
  if ((await operationInProgress(repository)) === 'rebase') {
    throw new QuireError({
      code: 'io',
      path: repository.top,
      message: `A pull stopped half-way and could not be undone (${summarizeGitError(aborted.stderr)}); run git rebase --abort in ${repository.top}, then sync again.`
    })
  }
}

async function conflictError(repository: Repository, upstream: Upstream, before: string | null, conflicted: string[], kept: string): Promise<QuireError> {
  const first = conflicted[0] as string
  const range = before === null ? upstream.ref : `${before}..${upstream.ref}`
  const last = await git(repository.top, ['--literal-pathspecs', 'log', '-1', '--format=%an%x00%h%x00%s', range, '--', first])
  const [author, hash, subject] = last.stdout.trim().split('\0')
  const colleague = author ? `by ${author} (commit ${hash} "${subject}")` : `upstream in ${upstream.name}`
  const others = conflicted.slice(1, NAMED_FILES_MAX)
  const more = conflicted.length > NAMED_FILES_MAX ? ` and ${files(conflicted.length - NAMED_FILES_MAX)} more` : ''
  const what = others.length === 0 ? `${first} was` : `${first} (and ${others.join(', ')}${more}) were`
  return new QuireError({
    code: 'io',
    path: join(repository.top, first),
    message:
      `${what} changed both here and ${colleague}: nothing was merged and ${kept}. ` +
      `Resolve it in git (in ${repository.top}: git pull --rebase, edit the file, git add it, git rebase --continue) ` +
      `or ask ${author ? `${author}, who changed it,` : 'the colleague who changed it'} then sync again.`
  })
}

/** Null when pushed, else why not, to end a sentence. */
async function push(repository: Repository, upstream: Upstream): Promise<string | null> {
  let pushed: GitOutput
  try {
    // To the branch we pull from, whatever push.default says: that is what a sync means.
    pushed = await git(repository.top, ['push', '--porcelain', upstream.remote, `HEAD:${upstream.remoteRef}`], { timeoutMs: NETWORK_TIMEOUT_MS })
  } catch (error) {
    return `sending to ${upstream.name} failed (${QuireError.from(error).message}); your commits are kept locally, sync again later`
  }
  // Porcelain lines are "<flag>\t<from>:<to>\t<summary>"; '!' marks a refused ref.
  const refused = pushed.stdout.split('\n').find((line) => line.startsWith('!\t'))
  if (pushed.exitCode === 0 && !refused) return null
  if (refused && /fetch first|non-fast-forward|stale info/.test(refused)) {
    return `${upstream.name} moved on while syncing, so your commits were not sent; sync again`
  }
  // e.g. "[remote rejected] (pre-receive hook declined)", and what the server said on stderr.
  const summary = refused?.split('\t')[2]?.trim() ?? ''
  const refusal = /^\[[^\]]*\]\s*\((.*)\)$/.exec(summary)?.[1] ?? summary
  const serverSays = pushed.stderr
    .split('\n')
    .filter((line) => line.startsWith('remote:'))
    .map((line) => line.slice('remote:'.length).trim())
    .filter((line) => line !== '')
    .slice(0, 2)
    .join('; ')
  const reason = [refusal, serverSays].filter((part) => part !== '').join(': ') || summarizeGitError(pushed.stderr)
  return `${upstream.name} did not accept your commits (${reason}); they are kept locally, sync again later or ask whoever runs the repository`
}

/** Project files that differ between `before` and HEAD, relative to the project folder. */
async function changedSince(repository: Repository, before: string | null): Promise<string[]> {
  const { top, projectPrefix } = repository
  const scope = ['--', projectPrefix || '.']
  const listed =
    before === null
      ? await git(top, ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--name-only', '--full-tree', 'HEAD', ...scope.slice(1)])
      : await git(top, ['--literal-pathspecs', 'diff', '--name-only', '-z', '--no-renames', before, 'HEAD', ...scope])
  return splitNul(listed.stdout)
    .filter((path) => path.startsWith(projectPrefix))
    .map((path) => path.slice(projectPrefix.length))
    .sort()
}

// ---- the repository -----------------------------------------------------------------------

async function locateRepository(projectDir: string): Promise<Repository | { reason: string }> {
  if (!(await isFolder(projectDir))) {
    throw new QuireError({ code: 'invalid-argument', path: projectDir, message: `There is no folder at ${projectDir}` })
  }
  if (!(await mayBeInWorkTree(projectDir))) return { reason: 'not a git repository (there is no .git in it or in any folder above it)' }
  const found = await git(projectDir, ['rev-parse', '--show-toplevel', '--absolute-git-dir'])
  const [top, gitDir] = found.stdout.split('\n')
  if (found.exitCode !== 0 || !top || !gitDir) return { reason: found.stderr }
  // git prints the real path; the project folder may have been reached through a symlink.
  const inside = relative(await realpath(top), await realpath(projectDir))
  if (inside.startsWith('..') || isAbsolute(inside)) return { reason: `git reports the repository at ${top}, which does not hold ${projectDir}` }
  const projectPrefix = inside === '' ? '' : `${inside.split(sep).join('/')}/`
  return { top, gitDir, projectPrefix }
}

/**
 * Whether git could find a work tree holding `dir`: only where it or a folder above it holds a
 * `.git` (a folder, or a file in a linked worktree). Starting git is not free in a long-running
 * process: Node forks the whole process to start it, 8–26 ms of main's thread at 135 MB (measured
 * in the browser edition here), and the window asks for the sync status a second after each
 * opening. A folder outside any repository is thus answered without starting git.
 */
async function mayBeInWorkTree(dir: string): Promise<boolean> {
  for (let folder = resolvePath(dir); ; folder = dirname(folder)) {
    if (await exists(join(folder, '.git'))) return true
    if (dirname(folder) === folder) return false
  }
}

async function operationInProgress(repository: Repository): Promise<string | null> {
  const markers: [string, string][] = [
    ['rebase-merge', 'rebase'],
    ['rebase-apply/applying', 'am'],
    ['rebase-apply', 'rebase'],
    ['MERGE_HEAD', 'merge'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert']
  ]
  for (const [marker, operation] of markers) {
    if (await exists(join(repository.gitDir, marker))) return operation
  }
  return null
}

async function currentBranch(repository: Repository): Promise<string | null> {
  const branch = await git(repository.top, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  return branch.exitCode === 0 ? branch.stdout.trim() || null : null
}

async function upstreamOf(repository: Repository, branch: string): Promise<Upstream | null> {
  const listed = await git(repository.top, [
    'for-each-ref',
    '--format=%(upstream:short)%00%(upstream)%00%(upstream:remotename)%00%(upstream:remoteref)',
    `refs/heads/${branch}`
  ])
  const [name, ref, remote, remoteRef] = listed.stdout.replace(/\n$/, '').split('\0')
  if (!name || !ref || !remote || !remoteRef) return null
  return { name, ref, remote, remoteRef }
}

async function commitExists(repository: Repository, revision: string): Promise<boolean> {
  return (await git(repository.top, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])).exitCode === 0
}

async function shortHash(top: string): Promise<string> {
  return (await git(top, ['rev-parse', '--short', 'HEAD'], { check: true })).stdout.trim()
}

// ---- running git --------------------------------------------------------------------------

interface GitOutput {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * Runs git with an argument array (never through a shell). Resolves with the exit code, or
 * rejects only when git cannot be run or runs out of time; `check` also rejects on a non-zero exit.
 */
function git(cwd: string, args: readonly string[], options: { input?: string; timeoutMs?: number; check?: boolean } = {}): Promise<GitOutput> {
  const timeoutMs = options.timeoutMs ?? LOCAL_TIMEOUT_MS
  const command = `git ${subcommandOf(args)}`
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: gitEnvironment(), timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr })
        const failure = error as Error & { code?: number | string; killed?: boolean; signal?: string | null }
        if (failure.code === 'ENOENT') return reject(gitMissing())
        if (typeof failure.code === 'number' && !failure.killed) {
          if (!options.check) return resolve({ exitCode: failure.code, stdout, stderr })
          return reject(new QuireError({ code: 'io', path: cwd, message: `${command} failed in ${cwd}: ${summarizeGitError(stderr)}` }))
        }
        const why = failure.killed && failure.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' ? `did not finish within ${timeoutMs / 1000} seconds and was stopped` : `could not be run (${failure.message})`
        reject(new QuireError({ code: 'io', path: cwd, message: `${command} ${why}` }))
      }
    )
    // Closed at once when there is no input, so nothing in git can wait on it.
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(options.input ?? '')
  })
}

function gitEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    // Never wait for a password on a terminal nobody sees; credential helpers still work.
    GIT_TERMINAL_PROMPT: '0',
    // Nothing we run needs an editor; one opening would wait forever.
    GIT_EDITOR: 'true',
    // `git status` must not take the index lock while the user runs git too.
    GIT_OPTIONAL_LOCKS: '0'
  }
  // Inherited from a git hook or script that started the app, these would point git elsewhere.
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete environment[name]
  return environment
}

/** Known once found (see mayBeInWorkTree for what starting git costs); a missing git is looked for again on each call, as it may be installed meanwhile. */
let gitFound = false

async function gitIsInstalled(): Promise<boolean> {
  if (gitFound) return true
  try {
    gitFound = (await git(tmpdir(), ['--version'])).exitCode === 0
  } catch {
    gitFound = false
  }
  return gitFound
}

function gitMissing(): QuireError {
  return new QuireError({
    code: 'io',
    message: 'Syncing needs git, which is not installed on this computer (or not on its PATH). Install git (https://git-scm.com), then restart Quire.'
  })
}

function notARepository(projectDir: string, reason: string): QuireError {
  const why = /not a git repository/i.test(reason) || reason.trim() === '' ? '' : ` (git says: ${summarizeGitError(reason)})`
  return new QuireError({
    code: 'invalid-argument',
    path: projectDir,
    message: `The project folder ${projectDir} is not in a git repository${why}, so there is nothing to sync with. To share it through git, make it (or a folder above it) a repository with a remote.`
  })
}

function subcommandOf(args: readonly string[]): string {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string
    if (arg === '-c') index++
    else if (!arg.startsWith('-')) return arg
  }
  return args.join(' ')
}

/** git's error lines (else its other lines, without hints and progress), in one line. */
function summarizeGitError(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim())
    .filter((line) => line !== '' && !/^hint:/i.test(line))
  const errors = lines.filter((line) => /^(fatal|error):/i.test(line))
  const chosen = (errors.length > 0 ? errors : lines).map((line) => line.replace(/^(fatal|error|warning):\s*/i, ''))
  const text = chosen.slice(0, 3).join('; ') || 'git gave no reason'
  return text.length > 300 ? `${text.slice(0, 297)}...` : text
}

// ---- small helpers ------------------------------------------------------------------------

const syncsByRepository = new Map<string, Promise<unknown>>()

/** Runs syncs of one repository one after another: two at once would fight over its index. */
function inTurn<Result>(key: string, run: () => Promise<Result>): Promise<Result> {
  const previous = syncsByRepository.get(key) ?? Promise.resolve()
  const next = previous.then(run, run)
  const settled = next.then(
    () => undefined,
    () => undefined
  )
  syncsByRepository.set(key, settled)
  void settled.then(() => {
    if (syncsByRepository.get(key) === settled) syncsByRepository.delete(key)
  })
  return next
}

/** Trimmed as the API's annotator schema trims, so the layer file names agree with the store's. */
function checkAnnotator(annotator: string): string {
  const trimmed = annotator.trim()
  if (trimmed === '') throw new QuireError({ code: 'invalid-argument', message: 'Set your annotator name before syncing: it names your annotation files' })
  return trimmed
}

function layerFileName(annotator: string): string {
  return annotatorFileName(annotator, (name) => sha256Hex(name))
}

function parseStatus(output: string): Change[] {
  return splitNul(output).map((entry) => ({ staged: entry[0] ?? ' ', unstaged: entry[1] ?? ' ', path: entry.slice(3) }))
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((part) => part !== '')
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false
  )
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false
  )
}

function files(count: number): string {
  return count === 1 ? '1 file' : `${count} files`
}

function commits(count: number): string {
  return count === 1 ? '1 commit' : `${count} commits`
}

function sentenceList(items: readonly (string | null)[]): string {
  const present = items.filter((item): item is string => item !== null)
  if (present.length <= 1) return present[0] ?? ''
  return `${present.slice(0, -1).join(', ')} and ${present[present.length - 1]}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
