// Reading thousands of small files one after another waits on the disk (or the thread pool) for
// each in turn; a few in flight at once keep it busy without opening thousands of files at once.

/**
 * `map` of each item, with at most `inFlight` running at once; the results in the order of
 * `items`. Rejects with the first failure (the other reads in flight still finish).
 */
export async function mapInParallel<Item, Result>(items: readonly Item[], inFlight: number, map: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results = new Array<Result>(items.length)
  let next = 0
  const work = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await map(items[index] as Item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, work))
  return results
}
