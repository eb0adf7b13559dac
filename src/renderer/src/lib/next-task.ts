// A pause that lets the window paint and answer keys and clicks between slices of a long piece
// of work. A message to itself, not setTimeout(0): nested timers are held back 4 ms each, which
// over the 40 slices of a 100,000-document list would add a sixth of a second for nothing.

/** Resolves in a task of its own, after whatever input and rendering is waiting. */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0))
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}
