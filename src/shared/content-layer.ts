// Content (a document's answer) whose layer is held in columns (layer-columns.ts): its
// `annotations` field is made objects only when read, so code reading it whole stays correct,
// while a session takes the columns and never makes them.
import type { Annotation } from './model'
import type { LayerColumns } from './layer-columns'

const columnsOfContent = new WeakMap<object, LayerColumns>()

/**
 * `content` with its layer in `columns`. Its `annotations` are made objects when first read (a
 * pass over the whole layer: the text editor's spans, a copy of the content); a session reads
 * the columns instead (layerColumnsOf) and makes objects only for what it draws or lists.
 */
export function withLayerInColumns<Content extends { annotations: Annotation[] }>(content: Omit<Content, 'annotations'>, columns: LayerColumns): Content {
  const withColumns = { ...content } as Content
  Object.defineProperty(withColumns, 'annotations', {
    configurable: true,
    enumerable: true,
    get(this: Content) {
      const annotations = columns.annotations()
      Object.defineProperty(this, 'annotations', { configurable: true, enumerable: true, writable: true, value: annotations })
      return annotations
    },
    set(this: Content, annotations: Annotation[]) {
      Object.defineProperty(this, 'annotations', { configurable: true, enumerable: true, writable: true, value: annotations })
    }
  })
  columnsOfContent.set(withColumns, columns)
  return withColumns
}

/** The columns `content`'s layer is held in (withLayerInColumns), or null: its `annotations` are objects already. */
export function layerColumnsOf(content: object): LayerColumns | null {
  const columns = columnsOfContent.get(content)
  if (!columns) return null
  // Read (made objects) or replaced since: the objects are the layer now.
  const field = Object.getOwnPropertyDescriptor(content, 'annotations')
  return field?.get ? columns : null
}

/** `content` with `annotations` as its layer, its own layer never read (which would make a layer in columns objects for nothing). */
export function withAnnotations<Content extends { annotations: Annotation[] }>(content: Content, annotations: Annotation[]): Content {
  return { ...allButAnnotations(content), annotations } as Content
}

/** Every field of `content` but its layer, which is not read (main copies it when read, document-service.ts; a layer in columns is made objects). */
export function allButAnnotations<Content extends { annotations: Annotation[] }>(content: Content): Omit<Content, 'annotations'> {
  const rest: Record<string, unknown> = {}
  for (const key of Object.keys(content)) if (key !== 'annotations') rest[key] = content[key as keyof Content]
  return rest as Omit<Content, 'annotations'>
}

/** How many spans `content`'s layer has, without making them objects. */
export function spanCountOf(content: { annotations: Annotation[] }): number {
  return layerColumnsOf(content)?.count ?? content.annotations.length
}
