// Which project tag each label of imported files becomes. Other tools spell their types freely
// (brat's "Person", "Gene_expression", "Entity-Type"), Quire's tag ids are upper-case letters,
// digits and "_": a label is matched to an existing tag by id or by name, without case
// ("Person" → PERSON, "organization" → the tag named Organization); a label matching none
// gets a new tag with an id made from it (tagIdFromLabel: "Gene_expression" → GENE_EXPRESSION)
// and the label itself as the tag's name, so no spelling is ever refused.
import type { TagDefinition } from '../../shared/model'
import { labelKey, tagIdFromLabel } from '../tag-set'

export interface NewImportedTag {
  id: string
  /** The label as the files first spell it: the new tag's name. */
  label: string
}

export interface ImportedLabels {
  /** Every label given → the id of the tag its spans get (an existing tag or a new one). */
  tagIdByLabel: Map<string, string>
  /** Tags the import would add, in the order their labels were given. */
  newTags: NewImportedTag[]
}

export function resolveImportedLabels(labels: Iterable<string>, tags: readonly Pick<TagDefinition, 'id' | 'label'>[]): ImportedLabels {
  const byExactId = new Map(tags.map((tag) => [tag.id, tag.id]))
  const byIdKey = new Map<string, string>()
  const byLabelKey = new Map<string, string>()
  for (const tag of tags) {
    if (!byIdKey.has(labelKey(tag.id))) byIdKey.set(labelKey(tag.id), tag.id)
    if (!byLabelKey.has(labelKey(tag.label))) byLabelKey.set(labelKey(tag.label), tag.id)
  }
  const taken = new Set(tags.map((tag) => tag.id))
  const newByKey = new Map<string, string>()
  const result: ImportedLabels = { tagIdByLabel: new Map(), newTags: [] }
  for (const label of labels) {
    if (result.tagIdByLabel.has(label)) continue
    const key = labelKey(label)
    let id = byExactId.get(label) ?? byIdKey.get(key) ?? byLabelKey.get(key) ?? newByKey.get(key)
    if (id === undefined) {
      id = tagIdFromLabel(label, taken)
      taken.add(id)
      newByKey.set(key, id)
      result.newTags.push({ id, label: label.trim() === '' ? id : label.trim() })
    }
    result.tagIdByLabel.set(label, id)
  }
  return result
}
