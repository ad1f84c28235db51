// The progress line of long SGD runs on stderr: epoch, bar, loss, ETA. Drawn only on a
// terminal, only once a run has lasted DELAY_MS, and at most once per INTERVAL_MS.
import { formatNumber } from "./format.js";

/** A run shorter than this draws nothing: most runs finish before a bar would help. */
export const DELAY_MS = 1000;
/** Least time between two redraws (≤ 10 per second). */
export const INTERVAL_MS = 100;
/** Width of the bar itself, in cells, at most and at least. */
const BAR_MAX = 30;
const BAR_MIN = 10;

/** Where the line goes: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** `7s`, `3m 05s`, `2h 04m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

/** One progress line for a run of `total` epochs; call {@link update} after each epoch and {@link finish} at the end. */
export class ProgressBar {
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
  }

  /** After epoch `epoch` (1-based) with loss `loss`: redraws when the delay and the interval have passed. */
  update(epoch: number, loss: number): void {
    const t = this.now();
    if (t - this.start < DELAY_MS || t - this.lastDraw < INTERVAL_MS) return;
    this.lastDraw = t;
    this.drawn = true;
    this.stream.write(`\r${this.line(epoch, loss, t - this.start)}\x1b[K`);
  }

  /** Clears the line if anything was drawn, so the result prints on a clean line. */
  finish(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }

  private line(epoch: number, loss: number, elapsed: number): string {
    const eta = formatDuration((elapsed / epoch) * (this.total - epoch));
    const count = `${String(epoch).padStart(String(this.total).length)}/${this.total}`;
    const text = [`${this.label} epoch ${count}`, "", `loss ${formatNumber(loss)}`, `ETA ${eta}`];
    const room = (this.stream.columns ?? 80) - 1 - text.join("  ").length - 2;
    const width = Math.max(BAR_MIN, Math.min(BAR_MAX, room));
    const filled = Math.round((width * epoch) / this.total);
    text[1] = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
    return text.join("  ");
  }
}

/**
 * Runs `run`, handing it an onEpoch callback that drives a {@link ProgressBar} when `stream`
 * is a terminal, and undefined otherwise (so a piped run pays nothing for per-epoch losses).
 * The line is cleared when the run ends, normally or by an error.
 */
export function withProgress<T>(
  label: string, total: number, run: (onEpoch: ((epoch: number, loss: number) => void) | undefined) => T,
  stream: ProgressStream = process.stderr,
): T {
  if (!stream.isTTY) return run(undefined);
  const bar = new ProgressBar(label, total, stream);
  try {
    return run((epoch, loss) => bar.update(epoch, loss));
  } finally {
    bar.finish();
  }
}
