// The project's rebuildable caches in .quire/ (the document index, the suggestions' lexicon) are
// read alike: a file that is missing or is not JSON is refused with its reason, never thrown, and
// the caller rebuilds the cache from the documents.
import { readFileIfExists } from './durable-file'

export type JsonCacheRefusal = { refused: 'missing' | 'damaged'; detail: string }

export async function readJsonCacheFile(path: string): Promise<{ data: unknown } | JsonCacheRefusal> {
  const bytes = await readFileIfExists(path).catch(() => null)
  if (bytes === null) return { refused: 'missing', detail: `${path} does not exist` }
  try {
    return { data: JSON.parse(bytes.toString('utf8')) as unknown }
  } catch (error) {
    return { refused: 'damaged', detail: `${path} is not valid JSON (${(error as Error).message})` }
  }
}
