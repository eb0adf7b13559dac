// Editing texts, the pure core: change sets (CodeMirror's, serialisable), how spans follow an
// edit or a chain of revisions, the PDF-extraction cleanup, and revision summaries.
export * from './change-set'
export * from './span-mapping'
export * from './summaries'
export { mapPositions, type Assoc } from './position-mapping'
export * from './cleanup'
