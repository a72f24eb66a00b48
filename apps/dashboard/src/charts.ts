import uPlot from 'uplot';
import type { ScoreSeries } from './topic-histories';

/** One line of a chart: its legend label, colour, y scale (two at most: left and right) and value format. */
export interface LineSeries {
  label: string;
  color: string;
  /** 'y' (left axis, the default) or 'y2' (right axis). */
  scale?: 'y' | 'y2';
  format: (value: number) => string;
  /** The axis's labels, when they must be shorter than the legend's values. */
  axisFormat?: (value: number) => string;
  /** Whole numbers only (counts): no 0.5 ticks. */
  whole?: boolean;
}

/** Tick steps of whole numbers: 1, 2, 5, 10, 20, 50, … */
const WHOLE_STEPS = Array.from({ length: 12 }, (_, i) => [1, 2, 5].map((m) => m * 10 ** i)).flat();

const AXIS_STROKE = '#5b6472';
const GRID = { stroke: '#e6e8eb', width: 1 };

/** Counts and ratios start at 0, so a small change does not look like a cliff. */
const fromZero = (_: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, max > 0 ? max * 1.1 : 1];

/** Values as the series formats them, in the legend; a gap as a dash. */
const legendValue = (format: (value: number) => string) => (_: uPlot, value: number | null) =>
  value === null || value === undefined ? '–' : format(value);

/**
 * A time-series line chart (uPlot) that fills its container's width and follows its resizes. Times
 * are unix seconds, shown in the browser's time zone; the legend shows the values under the cursor.
 */
export class TimeChart {
  private readonly plot: uPlot;
  private readonly observer: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    series: LineSeries[],
    height = 180,
  ) {
    const scales = new Set(series.map((line) => line.scale ?? 'y'));
    const axisFor = (scale: 'y' | 'y2'): uPlot.Axis => {
      const first = series.find((line) => (line.scale ?? 'y') === scale)!;
      return {
        scale,
        side: scale === 'y' ? 3 : 1,
        stroke: AXIS_STROKE,
        grid: scale === 'y' ? GRID : { show: false },
        size: 56,
        values: (_: uPlot, ticks: number[]) => ticks.map((tick) => (first.axisFormat ?? first.format)(tick)),
        ...(first.whole && { incrs: WHOLE_STEPS }),
      };
    };
    this.plot = new uPlot(
      {
        width: this.width(),
        height,
        series: [
          {},
          ...series.map((line): uPlot.Series => ({
            label: line.label,
            stroke: line.color,
            width: 2,
            scale: line.scale ?? 'y',
            value: legendValue(line.format),
            points: { show: (self) => self.data[0].length < 3 },
          })),
        ],
        scales: { x: { time: true }, y: { range: fromZero }, y2: { range: fromZero } },
        axes: [{ stroke: AXIS_STROKE, grid: GRID }, axisFor('y'), ...(scales.has('y2') ? [axisFor('y2')] : [])],
        cursor: { drag: { x: false, y: false } },
        legend: { live: true },
      },
      [[], ...series.map(() => [])],
      container,
    );
    this.observer = new ResizeObserver(() => this.plot.setSize({ width: this.width(), height }));
    this.observer.observe(container);
  }

  update(times: number[], values: (number | null)[][]): void {
    this.plot.setData([times, ...values] as uPlot.AlignedData);
  }

  private width(): number {
    return Math.max(240, Math.floor(this.container.clientWidth || 480));
  }
}

/** A topic's score over time, small enough for a table row: no axes, no legend, no cursor. */
export class Sparkline {
  private readonly plot: uPlot;

  constructor(container: HTMLElement, color = '#2563eb') {
    this.plot = new uPlot(
      {
        width: 110,
        height: 28,
        pxAlign: false,
        series: [
          {},
          {
            stroke: color,
            width: 1.5,
            fill: `${color}22`,
            points: { show: (self) => self.data[0].length < 3, size: 4 },
          },
        ],
        scales: { x: { time: false }, y: { range: (_, min, max) => [Math.min(0, min), Math.max(max, 0.1) * 1.05] } },
        axes: [{ show: false }, { show: false }],
        cursor: { show: false },
        legend: { show: false },
      },
      [[], []],
      container,
    );
  }

  update(series: ScoreSeries): void {
    this.plot.setData([series.times, series.scores]);
  }
}
