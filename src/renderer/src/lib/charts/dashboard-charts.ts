// The dashboard's four charts from the numbers main counted: what each bar and line is, in
// which colour, and the same numbers as a table (shown under the chart and saved as CSV).
import type { ProjectDashboard } from '../../../../shared/dashboard-model'
import { DOCUMENT_STATUS_LABELS, DOCUMENT_STATUSES, isCurationLayer, type DocumentStatus, type TagDefinition } from '../../../../shared/model'
import { plural } from '../text/quantities'
import { GOLD_COLOUR, SERIES_COLOURS, SERIES_DASHES, STATUS_COLOURS, type BarChartSpec, type ProgressChartSpec } from './chart-model'

/** Stacked left to right: the finished part first. */
const STATUS_ORDER: readonly DocumentStatus[] = ['done', 'in-progress', 'not-started']

/** The gold layer is the curation, not a person. */
export function annotatorLabel(annotator: string): string {
  return isCurationLayer(annotator) ? 'Gold layer (curation)' : annotator
}

/** Each annotator's colour and dash, the same in every chart: people in name order, the gold layer in gold. */
export function annotatorStyles(annotators: readonly string[]): Map<string, { colour: string; dash: string }> {
  const styles = new Map<string, { colour: string; dash: string }>()
  let person = 0
  for (const annotator of annotators) {
    if (isCurationLayer(annotator)) styles.set(annotator, { colour: GOLD_COLOUR, dash: '' })
    else {
      styles.set(annotator, { colour: SERIES_COLOURS[person % SERIES_COLOURS.length] as string, dash: SERIES_DASHES[person % SERIES_DASHES.length] as string })
      person++
    }
  }
  return styles
}

export interface DashboardCharts {
  status: BarChartSpec
  tags: BarChartSpec
  annotators: BarChartSpec
  progress: ProgressChartSpec
}

export function dashboardCharts(dashboard: ProjectDashboard, tagDefinitions: readonly TagDefinition[]): DashboardCharts {
  const styles = annotatorStyles(dashboard.annotators)
  return {
    status: statusChart(dashboard),
    tags: tagChart(dashboard, tagDefinitions),
    annotators: annotatorChart(dashboard, styles),
    progress: progressChart(dashboard, styles)
  }
}

function statusWords(counts: Record<DocumentStatus, number>): string {
  return STATUS_ORDER.map((status) => `${counts[status].toLocaleString()} ${DOCUMENT_STATUS_LABELS[status].toLowerCase()}`).join(', ')
}

function statusChart(dashboard: ProjectDashboard): BarChartSpec {
  const { documents } = dashboard
  const segments = (counts: Record<DocumentStatus, number>): BarChartSpec['rows'][number]['segments'] =>
    STATUS_ORDER.map((status) => ({ label: DOCUMENT_STATUS_LABELS[status], value: counts[status], colour: STATUS_COLOURS[status] }))
  const rows: BarChartSpec['rows'] = [
    {
      label: 'All documents',
      segments: segments(dashboard.statusOverall),
      of: documents,
      words: `All documents: ${statusWords(dashboard.statusOverall)}, of ${plural(documents, 'document')}`
    },
    ...dashboard.annotators.map((annotator) => {
      const counts = dashboard.statusByAnnotator[annotator] ?? { done: 0, 'in-progress': 0, 'not-started': 0 }
      const withLayer = DOCUMENT_STATUSES.reduce((sum, status) => sum + counts[status], 0)
      return {
        label: annotatorLabel(annotator),
        segments: segments(counts),
        of: documents,
        words: `${annotatorLabel(annotator)}: ${statusWords(counts)}, no layer on ${plural(documents - withLayer, 'document')}`
      }
    })
  ]
  const overall = dashboard.statusOverall
  return {
    kind: 'bars',
    id: 'documents-by-status',
    title: 'Documents by status',
    description:
      `${overall.done.toLocaleString()} of ${plural(documents, 'document')} done, ${overall['in-progress'].toLocaleString()} in progress, ${overall['not-started'].toLocaleString()} not started. ` +
      'A document is done when every annotator with a layer on it marked it done. Below, one bar per annotator; its empty part is documents without their layer.',
    rows,
    legend: [...STATUS_ORDER.map((status) => ({ label: DOCUMENT_STATUS_LABELS[status], colour: STATUS_COLOURS[status] })), { label: 'No layer', colour: 'none', hollow: true }],
    unit: 'Documents',
    table: {
      columns: ['Who', 'Done', 'In progress', 'Not started', 'No layer', 'Documents'],
      rows: [
        ['All documents', overall.done, overall['in-progress'], overall['not-started'], 0, documents],
        ...dashboard.annotators.map((annotator) => {
          const counts = dashboard.statusByAnnotator[annotator] ?? { done: 0, 'in-progress': 0, 'not-started': 0 }
          const withLayer = counts.done + counts['in-progress'] + counts['not-started']
          return [annotatorLabel(annotator), counts.done, counts['in-progress'], counts['not-started'], documents - withLayer, documents]
        })
      ]
    }
  }
}

function tagChart(dashboard: ProjectDashboard, tagDefinitions: readonly TagDefinition[]): BarChartSpec {
  const definition = (tagId: string): TagDefinition | undefined => tagDefinitions.find((tag) => tag.id === tagId)
  const tagLabel = (tagId: string): string => definition(tagId)?.label ?? tagId
  const people = dashboard.annotators.filter((annotator) => !isCurationLayer(annotator))
  const gold = dashboard.annotators.filter((annotator) => isCurationLayer(annotator))
  const peopleTotal = Object.values(dashboard.spansByTagInPeopleLayers).reduce((sum, count) => sum + count, 0)
  const busiest = dashboard.tags.reduce<string | null>((best, tag) => ((dashboard.spansByTagInPeopleLayers[tag] ?? 0) > (best === null ? 0 : (dashboard.spansByTagInPeopleLayers[best] ?? 0)) ? tag : best), null)
  return {
    kind: 'bars',
    id: 'spans-per-tag',
    title: 'Spans per tag',
    description:
      `${plural(peopleTotal, 'span')} in the annotators’ layers${busiest ? `, most of them ${tagLabel(busiest)} (${plural(dashboard.spansByTagInPeopleLayers[busiest] ?? 0, 'span')})` : ''}. ` +
      (gold.length > 0 ? 'The gold layer repeats settled spans, so it is counted in the table only.' : 'The table splits them by annotator.'),
    rows: dashboard.tags.map((tag) => {
      const value = dashboard.spansByTagInPeopleLayers[tag] ?? 0
      // A tag no longer in the project (found in old layers) is drawn in the text colour.
      return { label: tagLabel(tag), segments: [{ label: tagLabel(tag), value, colour: definition(tag)?.color ?? 'var(--text-muted)' }], words: `${tagLabel(tag)}: ${plural(value, 'span')}` }
    }),
    legend: [],
    unit: 'Spans',
    table: {
      columns: ['Tag', 'All annotators', ...people.map(annotatorLabel), ...gold.map(annotatorLabel)],
      rows: dashboard.tags.map((tag) => [
        tagLabel(tag),
        dashboard.spansByTagInPeopleLayers[tag] ?? 0,
        ...[...people, ...gold].map((annotator) => dashboard.spansByAnnotatorAndTag[annotator]?.[tag] ?? 0)
      ])
    }
  }
}

function annotatorChart(dashboard: ProjectDashboard, styles: ReadonlyMap<string, { colour: string }>): BarChartSpec {
  const rows = dashboard.annotators.map((annotator) => {
    const value = dashboard.spansByAnnotator[annotator] ?? 0
    return { label: annotatorLabel(annotator), segments: [{ label: annotatorLabel(annotator), value, colour: styles.get(annotator)?.colour ?? 'var(--text)' }], words: `${annotatorLabel(annotator)}: ${plural(value, 'span')}` }
  })
  return {
    kind: 'bars',
    id: 'spans-per-annotator',
    title: 'Spans per annotator',
    description:
      dashboard.annotators.length === 0
        ? 'No one has a layer yet.'
        : `${plural(dashboard.annotators.filter((annotator) => !isCurationLayer(annotator)).length, 'annotator')} with a layer${dashboard.annotators.some(isCurationLayer) ? ', and the gold layer' : ''}. ${rows.map((row) => row.words).join('; ')}.`,
    rows,
    legend: [],
    unit: 'Spans',
    table: { columns: ['Annotator', 'Spans'], rows: dashboard.annotators.map((annotator) => [annotatorLabel(annotator), dashboard.spansByAnnotator[annotator] ?? 0]) }
  }
}

function progressChart(dashboard: ProjectDashboard, styles: ReadonlyMap<string, { colour: string; dash: string }>): ProgressChartSpec {
  const withPoints = dashboard.progress.filter((progress) => progress.points.length > 0)
  const days = [...new Set(withPoints.flatMap((progress) => progress.points.map((point) => point.day)))].sort()
  const undated = dashboard.progress.reduce((sum, progress) => sum + progress.undated, 0)
  const totalOn = (points: readonly { day: string; total: number }[], day: string): number => {
    let total = 0
    for (const point of points) if (point.day <= day) total = point.total
    return total
  }
  const first = days[0]
  const last = days[days.length - 1]
  return {
    kind: 'progress',
    id: 'progress-over-time',
    title: 'Progress over time',
    description:
      (first === undefined || last === undefined
        ? 'No spans yet.'
        : `Spans each annotator has made, added up day by day (days in UTC), from ${first} to ${last}: ` +
          withPoints.map((progress) => `${annotatorLabel(progress.annotator)} ${plural(progress.points[progress.points.length - 1]?.total ?? 0, 'span')}`).join(', ') +
          '. Spans deleted since are not counted.') + (undated > 0 ? ` ${plural(undated, 'span')} without a readable creation time ${undated === 1 ? 'is' : 'are'} left out.` : ''),
    series: withPoints.map((progress) => ({
      label: annotatorLabel(progress.annotator),
      shortLabel: isCurationLayer(progress.annotator) ? 'Gold layer' : progress.annotator,
      colour: styles.get(progress.annotator)?.colour ?? 'var(--text)',
      dash: styles.get(progress.annotator)?.dash ?? '',
      points: progress.points.map((point) => ({ day: point.day, total: point.total }))
    })),
    days,
    table: {
      columns: ['Day (UTC)', ...withPoints.map((progress) => annotatorLabel(progress.annotator))],
      rows: days.map((day) => [day, ...withPoints.map((progress) => totalOn(progress.points, day))])
    }
  }
}
