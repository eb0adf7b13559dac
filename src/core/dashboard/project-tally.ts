// The project's counts, fed one document's layers at a time so memory never grows with the
// number of documents: the dashboard (getDashboard) and `quire stats` both read a project
// through one ProjectTally, so each number is counted by one rule.
import type { AnnotatorProgress, ProjectDashboard, StatusCounts } from '../../shared/dashboard-model'
import { isCurationLayer, type DocumentStatus } from '../../shared/model'

/** What the tally reads of a layer: who, its status, and each span's tag and creation time. */
export interface TalliedLayer {
  annotator: string
  status: DocumentStatus
  annotations: readonly { tag: string; createdAt: string }[]
}

/** A layer by its counts: who, its status, and how many spans of each tag. */
export interface CountedLayer {
  annotator: string
  status: DocumentStatus
  countsByTag: Readonly<Record<string, number>>
}

function countByTag(annotations: readonly { tag: string }[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const annotation of annotations) counts[annotation.tag] = (counts[annotation.tag] ?? 0) + 1
  return counts
}

export const emptyStatusCounts = (): StatusCounts => ({ 'not-started': 0, 'in-progress': 0, done: 0 })

/**
 * A document's one status, from the people's layers on it (the gold layer is curation, a stage
 * after annotation, and has its own row): done when every person with a layer marked it done,
 * not started when no one has a layer or no one has started, in progress otherwise.
 */
export function overallStatus(layers: readonly Pick<TalliedLayer, 'annotator' | 'status'>[]): DocumentStatus {
  const statuses = layers.filter((layer) => !isCurationLayer(layer.annotator)).map((layer) => layer.status)
  if (statuses.length === 0 || statuses.every((status) => status === 'not-started')) return 'not-started'
  return statuses.every((status) => status === 'done') ? 'done' : 'in-progress'
}

const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T[^+]*Z$/
const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * The UTC day (YYYY-MM-DD) of an ISO timestamp, or null when it cannot be read. UTC so that a
 * span made at 23:30 in Baku and one made at 21:30 in London the same moment fall on one day,
 * whoever opens the dashboard where.
 */
export function utcDay(timestamp: string): string | null {
  // Quire writes UTC ("…Z"): its day is the first ten characters, no parsing needed.
  if (UTC_TIMESTAMP.test(timestamp)) return timestamp.slice(0, 10)
  const time = Date.parse(timestamp)
  if (Number.isNaN(time)) return null
  const day = new Date(time).toISOString().slice(0, 10)
  return DAY.test(day) ? day : null
}

export class ProjectTally {
  readonly #projectTags: readonly string[]
  #documents = 0
  #spans = 0
  #sharedDocuments = 0
  readonly #spansByTag = new Map<string, number>()
  readonly #spansByTagInPeopleLayers = new Map<string, number>()
  readonly #spansByAnnotatorAndTag = new Map<string, Map<string, number>>()
  readonly #statusOverall = emptyStatusCounts()
  readonly #statusByAnnotator = new Map<string, StatusCounts>()
  /** Spans made per annotator per UTC day (undated under null). */
  readonly #madeByAnnotatorAndDay = new Map<string, Map<string | null, number>>()
  readonly #problems: { path: string; message: string }[] = []

  constructor(projectTags: readonly string[]) {
    this.#projectTags = projectTags
    for (const tag of projectTags) {
      this.#spansByTag.set(tag, 0)
      this.#spansByTagInPeopleLayers.set(tag, 0)
    }
  }

  /** One document and every layer of it that could be read (none: counted as not started). */
  addDocument(layers: readonly TalliedLayer[]): void {
    this.addDocumentCounts(layers.map((layer) => ({ annotator: layer.annotator, status: layer.status, countsByTag: countByTag(layer.annotations) })))
    for (const layer of layers) {
      const byDay = this.#madeByAnnotatorAndDay.get(layer.annotator) ?? new Map<string | null, number>()
      this.#madeByAnnotatorAndDay.set(layer.annotator, byDay)
      for (const annotation of layer.annotations) increment(byDay, utcDay(annotation.createdAt))
    }
  }

  /**
   * One document from its layers' counts by tag (the document index has them; no layer is read).
   * Spans made per day are not known this way: the progress over time stays empty for them.
   */
  addDocumentCounts(layers: readonly CountedLayer[]): void {
    this.#documents++
    this.#statusOverall[overallStatus(layers)]++
    if (layers.filter((layer) => !isCurationLayer(layer.annotator)).length >= 2) this.#sharedDocuments++
    for (const layer of layers) {
      const person = !isCurationLayer(layer.annotator)
      const byStatus = this.#statusByAnnotator.get(layer.annotator) ?? emptyStatusCounts()
      this.#statusByAnnotator.set(layer.annotator, byStatus)
      byStatus[layer.status]++
      const byTag = this.#spansByAnnotatorAndTag.get(layer.annotator) ?? new Map<string, number>()
      this.#spansByAnnotatorAndTag.set(layer.annotator, byTag)
      if (!this.#madeByAnnotatorAndDay.has(layer.annotator)) this.#madeByAnnotatorAndDay.set(layer.annotator, new Map())
      for (const tag in layer.countsByTag) {
        const count = layer.countsByTag[tag] as number
        this.#spans += count
        increment(this.#spansByTag, tag, count)
        if (person) increment(this.#spansByTagInPeopleLayers, tag, count)
        increment(byTag, tag, count)
      }
    }
  }

  /** A file that could not be read: listed, its spans not counted. */
  addProblem(problem: { path: string; message: string }): void {
    this.#problems.push({ path: problem.path, message: problem.message })
  }

  result(projectName: string): ProjectDashboard {
    const annotators = [...this.#statusByAnnotator.keys()].sort((a, b) => Number(isCurationLayer(a)) - Number(isCurationLayer(b)) || a.localeCompare(b))
    const found = [...this.#spansByTag.keys()].filter((tag) => !this.#projectTags.includes(tag)).sort((a, b) => a.localeCompare(b))
    const tags = [...this.#projectTags, ...found]
    const inTagOrder = (counts: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries(tags.filter((tag) => counts.has(tag)).map((tag) => [tag, counts.get(tag) ?? 0]))
    return {
      projectName,
      documents: this.#documents,
      spans: this.#spans,
      tags,
      spansByTag: inTagOrder(this.#spansByTag),
      spansByTagInPeopleLayers: Object.fromEntries(tags.map((tag) => [tag, this.#spansByTagInPeopleLayers.get(tag) ?? 0])),
      spansByAnnotator: Object.fromEntries(annotators.map((annotator) => [annotator, sum(this.#spansByAnnotatorAndTag.get(annotator))])),
      spansByAnnotatorAndTag: Object.fromEntries(annotators.map((annotator) => [annotator, inTagOrder(this.#spansByAnnotatorAndTag.get(annotator) ?? new Map())])),
      statusOverall: { ...this.#statusOverall },
      statusByAnnotator: Object.fromEntries(annotators.map((annotator) => [annotator, { ...(this.#statusByAnnotator.get(annotator) ?? emptyStatusCounts()) }])),
      annotators,
      progress: annotators.map((annotator) => progressOf(annotator, this.#madeByAnnotatorAndDay.get(annotator) ?? new Map())),
      sharedDocuments: this.#sharedDocuments,
      problems: this.#problems.map((problem) => ({ ...problem }))
    }
  }
}

function progressOf(annotator: string, madeByDay: ReadonlyMap<string | null, number>): AnnotatorProgress {
  const days = [...madeByDay.keys()].filter((day): day is string => day !== null).sort()
  let total = 0
  const points = days.map((day) => {
    const added = madeByDay.get(day) ?? 0
    total += added
    return { day, added, total }
  })
  return { annotator, points, undated: madeByDay.get(null) ?? 0 }
}

function increment<K>(counts: Map<K, number>, key: K, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by)
}

function sum(counts: ReadonlyMap<string, number> | undefined): number {
  let total = 0
  for (const count of counts?.values() ?? []) total += count
  return total
}
