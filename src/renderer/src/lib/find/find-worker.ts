// The find worker: matching runs here, off the window's thread, so typing in the find bar never
// waits for a search of a 5 MB text, and a runaway expression can be stopped by ending the
// worker (match-runner.ts), which JavaScript cannot do to a regular expression in the window.
import { FindEngine } from './find-engine'
import type { FromFindWorker, ToFindWorker } from './find-protocol'

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToFindWorker>) => void) | null
  postMessage(message: FromFindWorker, transfer: Transferable[]): void
}

const scope = self as unknown as WorkerScope
const engine = new FindEngine()

scope.onmessage = (event) => {
  const answer = engine.handle(event.data)
  if (!answer) return
  scope.postMessage(answer, answer.kind === 'found' ? [answer.offsets.buffer] : [])
}
