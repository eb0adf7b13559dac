// How an entity's identifier is written. The user types what they know ("Q1630451", a Wikidata
// address, "Wikidata:Q1630451", "GND:4027667-2"); Quire keeps it as SOURCE:ID, the pair brat's
// normalization lines carry (`N1<TAB>Reference T1 Wikidata:Q1630451<TAB>ICESCO`). No network is
// asked: an identifier is the user's word for which entry is meant.
import type { EntityLink } from '../../shared/finding-model'

/** The source of a Quire-local reference: an entity that has no identifier of its own. */
export const QUIRE_REF_SOURCE = 'Quire'

const BARE_QID = /^[Qq](\d{1,12})$/
const WIKIDATA_ADDRESS = /^https?:\/\/(?:www\.|m\.)?wikidata\.org\/(?:wiki|entity)\/(Q\d{1,12})\/?$/i
const SOURCE_AND_ID = /^([A-Za-z][A-Za-z0-9_.-]{0,63}):(\S{1,400})$/

/** Refused input, worded for the user. */
export class EntityRefusal extends Error {}

/**
 * The identifier as Quire keeps it: a bare Wikidata QID or a Wikidata address becomes
 * "Wikidata:Q…"; anything else must already be SOURCE:ID. Throws EntityRefusal saying why not.
 */
export function normalizeEntityRef(typed: string): string {
  const ref = typed.trim()
  const qid = BARE_QID.exec(ref)
  if (qid) return `Wikidata:Q${qid[1] as string}`
  const address = WIKIDATA_ADDRESS.exec(ref)
  if (address) return `Wikidata:${(address[1] as string).toUpperCase()}`
  const pair = SOURCE_AND_ID.exec(ref)
  if (!pair) {
    throw new EntityRefusal(`"${ref.slice(0, 80)}" is not an identifier Quire can write: type SOURCE:ID (e.g. Wikidata:Q1630451) or a bare Wikidata id (Q1630451)`)
  }
  if ((pair[1] as string).toLowerCase() === QUIRE_REF_SOURCE.toLowerCase()) {
    throw new EntityRefusal(`"${QUIRE_REF_SOURCE}:" names Quire's own entity ids; type the identifier of a knowledge base (e.g. Wikidata:Q1630451)`)
  }
  // "wikidata:q42" and "Wikidata:Q42" are one entry.
  if ((pair[1] as string).toLowerCase() === 'wikidata' && /^q\d+$/i.test(pair[2] as string)) return `Wikidata:${(pair[2] as string).toUpperCase()}`
  return ref
}

/**
 * The SOURCE:ID an export writes for a link: the entity's identifier, or "Quire:<entity id>"
 * for an entity the user has not identified, so that its mentions still read back as one.
 */
export function linkReference(link: EntityLink): string {
  return link.ref ?? `${QUIRE_REF_SOURCE}:${link.id}`
}

/** What a SOURCE:ID read back from a file names: a knowledge-base entry, or a Quire entity id. */
export type ReadReference = { ref: string } | { quireId: string }

export function readLinkReference(reference: string): ReadReference | null {
  const pair = SOURCE_AND_ID.exec(reference)
  if (!pair) return null
  if (pair[1] === QUIRE_REF_SOURCE) return { quireId: pair[2] as string }
  try {
    return { ref: normalizeEntityRef(reference) }
  } catch {
    return null
  }
}
