// The progress line of long SGD runs on stderr: epoch, bar, loss, ETA, fitted to the width of
// the terminal. Drawn only once a run has lasted DELAY_MS, and at most once per INTERVAL_MS;
// sgd-run.ts decides when there is a terminal to draw on.
import { formatNumber } from "./format.js";

/** A run shorter than this draws nothing: most runs finish before a bar would help. */
export const DELAY_MS = 1000;
/** Least time between two redraws (≤ 10 per second). */
export const INTERVAL_MS = 100;
/** Width of the bar itself, in cells, at most and at least; with less room the bar is left out. */
const BAR_MAX = 30;
const BAR_MIN = 10;
/** Between the parts of the line. */
const SEP = "  ";

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

  /**
   * The line, fitted to the terminal: never longer than its width less one (a line that fills
   * the last column wraps on some terminals, and `\r` then redraws only the second half).
   * With less room the bar goes first, then the ETA, then the label.
   */
  private line(epoch: number, loss: number, elapsed: number): string {
    const max = (this.stream.columns || 80) - 1; // 0 or undefined: a terminal that does not say
    const count = `${String(epoch).padStart(String(this.total).length)}/${this.total}`;
    const head = `${this.label} epoch ${count}`;
    const lossText = `loss ${formatNumber(loss)}`;
    const eta = `ETA ${formatDuration((elapsed / epoch) * (this.total - epoch))}`;
    const room = max - [head, lossText, eta].join(SEP).length - SEP.length - 2;
    if (room >= BAR_MIN) {
      const width = Math.min(BAR_MAX, room);
      const filled = Math.round((width * epoch) / this.total);
      return [head, `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`, lossText, eta].join(SEP);
    }
    const shorter = [[head, lossText, eta], [head, lossText], [`epoch ${count}`, lossText], [count, lossText]];
    return shorter.map((parts) => parts.join(SEP)).find((text) => text.length <= max) ?? count.trim().slice(0, Math.max(0, max));
  }
}
