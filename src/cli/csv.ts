// CSV of numbers: one matrix row per line, cells separated by commas, a blank cell or NA for a
// missing entry. Surrounding spaces and double quotes around a cell are ignored.
import { DECIMAL } from "./args.js";
import { InputError } from "./errors.js";
import { type DenseInput, quoteCell } from "./input.js";

/** Cell text that marks a missing entry (besides an empty cell). */
const MISSING = "NA";

function cellText(raw: string): string {
  const text = raw.trim();
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).trim() : text;
}

/**
 * Parses CSV text into a dense matrix with missing cells. Trailing empty lines are ignored;
 * every other line is a row, and all rows must have as many cells as the first.
 * @throws InputError for an empty file, a ragged row, a cell that is not a number, blank or
 *   NA, or a number outside the double range — naming the line and column.
 */
export function parseCsv(text: string, source: string): DenseInput {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) throw new InputError(`${source} is empty: expected CSV rows of numbers or a Matrix Market file`);
  const cols = lines[0].split(",").length;
  const values = new Float64Array(lines.length * cols);
  let missing = 0;
  let firstMissing: DenseInput["firstMissing"];
  lines.forEach((line, r) => {
    const cells = line.split(",");
    if (cells.length !== cols) {
      throw new InputError(`${source} is ragged: line 1 has ${cols} cells but line ${r + 1} has ${cells.length}`);
    }
    cells.forEach((raw, c) => {
      const cell = cellText(raw);
      if (cell === "" || cell === MISSING) {
        values[r * cols + c] = NaN;
        missing++;
        firstMissing ??= { line: r + 1, column: c + 1 };
        return;
      }
      const where = `${source}, line ${r + 1}, column ${c + 1}`;
      if (!DECIMAL.test(cell)) {
        const header = r === 0 ? "; a header row is not supported" : "";
        throw new InputError(`${where}: ${quoteCell(cell)} is not a number (a cell must be a number, blank or NA${header})`);
      }
      const x = Number(cell);
      if (!Number.isFinite(x)) throw new InputError(`${where}: ${quoteCell(cell)} is outside the double range`);
      values[r * cols + c] = x;
    });
  });
  return { kind: "dense", source, rows: lines.length, cols, values, missing, firstMissing };
}
