// Saves text the window made (agreement figures) as a file: the browser's download, which the
// desktop app turns into its save dialog. Nothing is sent to main.
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The download has its own reference by now; the object URL is not needed any more.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
