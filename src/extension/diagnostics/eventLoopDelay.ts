// How long the extension host's event loop was kept from running a timer:
// perf_hooks' histogram records the interval between ticks of a timer set to
// `resolutionMs`, so the delay of a tick is its interval minus the resolution.
// Measuring only between start() and stop() keeps the timer off otherwise.
// No vscode import: unit-tested in plain Node.

import { monitorEventLoopDelay, type IntervalHistogram } from 'perf_hooks';

/** What one measurement saw; delays in milliseconds. */
export interface EventLoopDelayReport {
  /** Wall time measured, in seconds. */
  seconds: number;
  /** Timer ticks recorded. */
  ticks: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

const NS_PER_MS = 1e6;

export class EventLoopDelayMeter {
  private histogram: IntervalHistogram | undefined;
  private startedAt = 0;

  constructor(private readonly resolutionMs = 10) {
    if (!Number.isInteger(resolutionMs) || resolutionMs < 1)
      throw new RangeError(`resolution must be an integer ≥ 1 ms, got ${resolutionMs}`);
  }

  get running(): boolean {
    return this.histogram !== undefined;
  }

  start(): void {
    this.histogram?.disable();
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    this.startedAt = performance.now();
  }

  /** Stops the timer and returns what it saw since start(). */
  stop(): EventLoopDelayReport {
    const h = this.histogram;
    if (!h) throw new Error('the event-loop delay meter is not running');
    h.disable();
    this.histogram = undefined;
    const delay = (ns: number): number => (h.count === 0 ? 0 : Math.max(0, ns / NS_PER_MS - this.resolutionMs));
    return {
      seconds: (performance.now() - this.startedAt) / 1000,
      ticks: h.count,
      p50: delay(h.percentile(50)),
      p99: delay(h.percentile(99)),
      max: delay(h.max),
      mean: delay(h.mean),
    };
  }

  dispose(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }
}

/** "event-loop delay over 12.3 s (1,180 ticks): p50 0.2 ms, p99 3.1 ms, max 12.0 ms, mean 0.4 ms". */
export function formatEventLoopDelay(r: EventLoopDelayReport): string {
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  return (
    `event-loop delay over ${r.seconds.toFixed(1)} s (${r.ticks.toLocaleString('en')} ticks): ` +
    `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}, mean ${ms(r.mean)}`
  );
}
