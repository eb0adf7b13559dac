// How a moment is shown (a backup's, a layer's last change): just the time for today
// ("today at 16:51"), else date and time.
export function describeTime(savedAt: string, now = new Date(), locale?: string): string {
  const saved = new Date(savedAt)
  const time = saved.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
  if (saved.toDateString() === now.toDateString()) return `today at ${time}`
  const date = saved.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: saved.getFullYear() === now.getFullYear() ? undefined : 'numeric' })
  return `${date} at ${time}`
}
