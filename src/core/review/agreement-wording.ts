// How the agreement figures count, in the words the agreement screen and `quire agreement`
// both print (one copy, so they never disagree; docs/AGREEMENT.md says it at length).

export const TOKEN_RULE =
  'κ and α count word tokens (what Intl.Segmenter marks word-like: punctuation, spaces and emoji are not tokens). ' +
  'A token takes the tag of the span touching it (the longest when several do), O when no span does: ' +
  'O tokens count, so κ and α reward agreeing on what is not an entity, while span F1 counts only spans. ' +
  'A document an annotator has no layer on is missing for them, not O: it is left out of their pairs and of Fleiss’ κ.'

export const F1_RULE =
  'Span F1 compares spans, not tokens: exact (nervaluate “strict”) needs the same start, end and tag; ' +
  'overlap (nervaluate “ent_type”) the same tag and at least one shared character.'
