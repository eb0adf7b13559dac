// What a dashboard chart draws, apart from how: bars or lines with their labels, colours and
// the table that says the same in words. Built by dashboard-charts.ts, drawn by BarChart and
// ProgressChart, saved by svg-export.ts and chartTableCsv.
import type { ChartTable } from '../../../../core/dashboard/chart-table'

export interface BarSegment {
  label: string
  value: number
  /** A CSS colour: a tag's own, or one of SERIES_COLOURS / STATUS_COLOURS. */
  colour: string
}

export interface BarRow {
  label: string
  segments: BarSegment[]
  /** The length of the bar's track (stacked bars: the documents); absent: the segments' sum. */
  of?: number
  /** What the row says in words, e.g. "Leyla: 3 done, 1 in progress of 6 documents". */
  words: string
}

export interface ChartBase {
  /** Short and file-name safe: "documents-by-status". */
  id: string
  title: string
  /** One or two sentences: what is counted, and the main figures. */
  description: string
  table: ChartTable
}

export interface BarChartSpec extends ChartBase {
  kind: 'bars'
  rows: BarRow[]
  /** Stacked bars have a key to their segments' colours. */
  legend: { label: string; colour: string; hollow?: boolean }[]
  /** The axis's title, the noun its numbers count: "Spans", "Documents". */
  unit: string
}

export interface ProgressSeries {
  label: string
  /** At the line's end, where room is short ("Gold layer"). */
  shortLabel: string
  colour: string
  /** SVG stroke-dasharray, so lines differ by more than colour. */
  dash: string
  points: { day: string; total: number }[]
}

export interface ProgressChartSpec extends ChartBase {
  kind: 'progress'
  series: ProgressSeries[]
  /** Every day of the chart, oldest first (UTC, YYYY-MM-DD). */
  days: string[]
}

export type ChartSpec = BarChartSpec | ProgressChartSpec

/**
 * Colours for annotators. Each has at least 3:1 contrast (WCAG's for graphics) against a white
 * and a near-black (#2A2A2A) surface, so lines and bars stand out in either colour scheme
 * without a second palette.
 */
export const SERIES_COLOURS = ['#2F7ED8', '#D55E00', '#1F8A4C', '#A05FD0', '#0E8A8A', '#D0457F', '#6B8E23', '#7A7A7A'] as const
/** The gold layer's colour (dark goldenrod), kept for it alone. */
export const GOLD_COLOUR = '#B8860B'
export const SERIES_DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4', '3 3 1 3'] as const

export const STATUS_COLOURS = { done: '#1F8A4C', 'in-progress': '#D55E00', 'not-started': '#7A7A7A' } as const

/** Round axis steps (1, 2 or 5 times a power of ten) from 0 past `max`, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1]
  const rough = max / count
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power)
  const ticks: number[] = []
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick)
  return ticks
}
