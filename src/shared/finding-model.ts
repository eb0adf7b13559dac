// Vocabulary of finding and annotating faster (issue 10): project search, tag-all,
// suggestions, the tag set editor and entities. Pure types: no Electron, no DOM, no fs.
import type { SearchQuery } from '../core/search/find-matches'
import type { Annotation, ProjectSummary, TagDefinition, Utf16Offset } from './model'

export type { SearchOptions, SearchQuery } from '../core/search/find-matches'

// ---- Search the project ----

export interface ProjectSearchRequest {
  query: SearchQuery
  /** Only these documents; every document when absent. */
  documentIds?: string[]
  /** Only matches covered by a span of one of these tags (in any layer). */
  tags?: string[]
  /** Only matches no span covers, in any layer. */
  untaggedOnly?: boolean
  /** The first line to return (paging through a long result) and how many. */
  offset: number
  limit: number
  /**
   * Search again even when this same search is kept (the Search button: it must see every save
   * since). Without it the kept search answers: paging, and asking for the counts while main counts.
   */
  fresh?: boolean
}

/** A span that overlaps a match: whose and which tag; exact when it covers the match exactly. */
export interface MatchTagging {
  annotator: string
  tag: string
  exact: boolean
}

/** One match as a concordance line. */
export interface ConcordanceLine {
  documentId: string
  documentName: string
  start: Utf16Offset
  end: Utf16Offset
  /** Up to ~60 characters either side, line breaks shown as spaces. */
  left: string
  match: string
  right: string
  taggedBy: MatchTagging[]
}

export interface ProjectSearchResult {
  lines: ConcordanceLine[]
  /** Matches in the whole project (after the filters), not only the lines returned. */
  totalMatches: number
  documentsWithMatches: number
  documentsSearched: number
  /** A regular expression ran past the time limit; the counts are those found before it. */
  timedOut: boolean
  /** Why the query cannot run (an invalid expression): said at the field, nothing else. */
  problem: string | null
  /**
   * The lines are final but main is still counting the rest of the project: the counts are so
   * far. Asking again with the same request (any offset) gives the counts as they then stand.
   */
  counting: boolean
}

// ---- Annotate all ----

export interface TagAllRequest {
  query: SearchQuery
  tag: string
  /** Whose layers get the spans: your own name. */
  annotator: string
  /** This document, chosen documents, or the whole project. */
  documentIds: string[] | 'all'
}

export type TagAllSkipReason = 'overlaps-same-tag'

export interface TagAllOccurrence {
  documentId: string
  documentName: string
  start: Utf16Offset
  end: Utf16Offset
  left: string
  match: string
  right: string
  /** Set when this occurrence will not be tagged, and why. */
  skip: TagAllSkipReason | null
}

export interface TagAllPreview {
  occurrences: TagAllOccurrence[]
  /** Occurrences that would be tagged (those without `skip`). */
  toTag: number
  skipped: number
  timedOut: boolean
  problem: string | null
}

/** One occurrence chosen in the preview (the checkboxes left on). */
export interface TagAllChoice {
  documentId: string
  start: Utf16Offset
  end: Utf16Offset
}

export interface TagAllDocumentResult {
  documentId: string
  documentName: string
  /** The spans added, as saved: deleting these ids undoes the document's share. */
  added: Annotation[]
  /** Chosen occurrences not tagged: a span of the same tag overlapped them by then. */
  skipped: number
}

export interface TagAllResult {
  documents: TagAllDocumentResult[]
  added: number
  skipped: number
}

// ---- Suggestions ----

export interface Suggestion {
  /** Stable for the same tag, offsets and text: `${tag}:${start}-${end}`. */
  key: string
  start: Utf16Offset
  end: Utf16Offset
  tag: string
  text: string
  /** Why: e.g. 'tagged "ISESCO" as Organization 12 times (Leyla, Rashad)'. */
  reason: string
  /** Which suggester: the project's own annotations ('lexicon'), or a rule set. */
  source: 'lexicon' | 'rules'
}

export interface SuggestionList {
  documentId: string
  /** The text revision the offsets refer to. */
  revision: string
  suggestions: Suggestion[]
  /** Suggestions past the first MAX_SUGGESTIONS (src/core/suggestions/suggest.ts), not listed. */
  omitted: number
  /** How many suggestions this layer rejected and still hides. */
  rejected: number
}

/** A suggestion its layer's annotator rejected: it is not suggested there again. */
export interface RejectedSuggestion {
  tag: string
  start: Utf16Offset
  end: Utf16Offset
  text: string
  rejectedAt: string
}

// ---- Tag set editor ----

export type TagSetChange =
  | { op: 'add'; tag: TagDefinition }
  /** Rename (label, short label), recolour or change key; the id, written in every span, stays. */
  | { op: 'update'; id: string; changes: Partial<Pick<TagDefinition, 'label' | 'shortLabel' | 'key' | 'color'>> }
  /** The tags in this order (every id, once). */
  | { op: 'reorder'; ids: string[] }
  /**
   * Removes a tag. Refused while any layer uses it, unless `moveTo` names a tag: then the spans
   * in the layers this session may write (`annotator`'s own and the gold layer) move to it
   * first; a colleague's layer still using it keeps the tag in the set, and the refusal names them.
   */
  | { op: 'delete'; id: string; moveTo?: string; annotator: string }

export interface TagSetResult {
  project: ProjectSummary
  /** Spans moved to another tag by a delete. */
  moved: { documents: number; spans: number }
}

/** Where each tag is used: spans per tag and annotator, over the project. */
export interface TagUsage {
  tag: string
  spans: number
  byAnnotator: Record<string, number>
}

// ---- Entities ----

/** entities.json: aliases merged into entities, with the user's canonical name and identifier. */
export interface EntityRecord {
  id: string
  /** The canonical name, e.g. "ICESCO". */
  name: string
  /** An identifier the user typed, e.g. "Wikidata:Q1630451"; no network is asked. */
  ref?: string
  /** Grouping keys (normalizeForGrouping of the mention text) that are this entity. */
  aliases: string[]
  createdAt: string
  updatedAt: string
}

export interface EntityFile {
  format: 'quire-entities'
  schemaVersion: number
  entities: EntityRecord[]
}

/** The link an export writes for an annotation, and an import reads back. */
export interface EntityLink {
  id: string
  name: string
  ref?: string
}

export interface EntityAlias {
  key: string
  /** The texts seen for it, most frequent first ("ISESCO", "Isesco"). */
  texts: string[]
  mentions: number
}

/** An entity (saved, or a group of equal texts not yet saved as one) as the panel lists it. */
export interface EntitySummary {
  /** The saved entity's id; for a group not yet saved, "group:" + its key. */
  id: string
  saved: boolean
  name: string
  ref: string | null
  aliases: EntityAlias[]
  mentions: number
  countsByTag: Record<string, number>
  documents: { documentId: string; documentName: string; mentions: number }[]
}

export interface EntityList {
  entities: EntitySummary[]
  /** Problem reading entities.json (it is then left untouched). */
  problem: string | null
}

export interface EntityMention {
  documentId: string
  documentName: string
  annotator: string
  annotationId: string
  start: Utf16Offset
  end: Utf16Offset
  tag: string
  text: string
  /** Up to ~40 characters either side of the mention, line breaks shown as spaces (absent when the text could not be read). */
  left?: string
  right?: string
}

export interface EntityMerge {
  /** Entity ids (saved or "group:…") to make one entity. */
  ids: string[]
  name: string
  ref: string | null
}
