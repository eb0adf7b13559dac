import { describe, expect, it } from 'vitest'
import { ParsedLayerCache } from '../../src/main/services/parsed-layer-cache'
import type { AnnotationLayer } from '../../src/shared/model'

const layerOf = (annotator: string, spans: number): AnnotationLayer =>
  ({ annotator, annotations: Array.from({ length: spans }, (_, index) => ({ id: `a${index}` })) }) as unknown as AnnotationLayer

describe('ParsedLayerCache', () => {
  it('gives a layer back only while the file and its journal have the size and modification time they were parsed at', () => {
    const cache = new ParsedLayerCache(100)
    const layer = layerOf('Leyla', 3)
    cache.set('/p/a.json', { mtimeMs: 10, size: 500, journal: 'none' }, layer)
    expect(cache.get('/p/a.json', { mtimeMs: 10, size: 500, journal: 'none' })).toBe(layer)
    expect(cache.get('/p/a.json', { mtimeMs: 11, size: 500, journal: 'none' })).toBeUndefined()
    // A stale entry is dropped, not kept for later.
    expect(cache.has('/p/a.json')).toBe(false)
    cache.set('/p/a.json', { mtimeMs: 10, size: 500, journal: 'none' }, layer)
    expect(cache.get('/p/a.json', { mtimeMs: 10, size: 501, journal: 'none' })).toBeUndefined()
    // A save appended to the layer's journal changes the layer as much as a rewrite of its file.
    cache.set('/p/a.json', { mtimeMs: 10, size: 500, journal: 'none' }, layer)
    expect(cache.get('/p/a.json', { mtimeMs: 10, size: 500, journal: '120:12' })).toBeUndefined()
  })

  it('holds at most its number of annotations, dropping the least recently used first', () => {
    const cache = new ParsedLayerCache(10)
    const stamp = { mtimeMs: 1, size: 1, journal: 'none' }
    cache.set('/a', stamp, layerOf('A', 4))
    cache.set('/b', stamp, layerOf('B', 4))
    expect(cache.get('/a', stamp)?.annotator).toBe('A') // /b is now the least recently used
    cache.set('/c', stamp, layerOf('C', 4))
    expect(cache.has('/b')).toBe(false)
    expect(cache.has('/a') && cache.has('/c')).toBe(true)
    // A layer larger than the whole cache is not kept, and replaces nothing.
    cache.set('/d', stamp, layerOf('D', 11))
    expect(cache.has('/d')).toBe(false)
    expect(cache.has('/a') && cache.has('/c')).toBe(true)
    cache.clear()
    expect(cache.has('/a')).toBe(false)
  })

  it('forgets a file that is gone', async () => {
    const cache = new ParsedLayerCache()
    cache.set('/no/such/file.json', { mtimeMs: 1, size: 1, journal: 'none' }, layerOf('A', 1))
    expect(await cache.getIfUnchanged('/no/such/file.json')).toBeUndefined()
    expect(cache.has('/no/such/file.json')).toBe(false)
  })
})
