// Unit tests of the SVD's small routines — dlartg, dlas2, dlasv2 (assembly/rotations.ts) and one
// dbdsqr sweep of each kind (assembly/bidiagonal-qr.ts) — through the debug build's own exports
// (assembly/debug.ts), on buffers laid out from heapBase(), against
// test/fixtures/small-routines.json: LAPACK's dlartg itself (scipy) and exact values (mpmath),
// made by scripts/reference/small_routines.py, never by the kernel.
import { describe, expect, test } from "vitest";
import { fixture, ulp, ulpsApart } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

// dlartg against LAPACK's: the same operations in the same order in IEEE double (wasm has no
// fused multiply-add), so equal in practice; 2 ulps leave room for a LAPACK build that fuses
// f*f + g*g.
const GIVENS_VS_LAPACK_ULPS = 2;
// dlartg against the exact c, s, r: f², g², their sum, the square root and the quotient each
// round once (the scaled branch also divides f and g by the scale), ≤ 2.5 ulps in all, plus
// ½ ulp for rounding the exact value to the fixture's double.
const GIVENS_VS_EXACT_ULPS = 3;
// c² + s² = 1, evaluated exactly, to 3 ulps of 1 (3·2⁻⁵²), not 1: c = |f|/d and s = g/r share
// the rounding of d = sqrt(f² + g²) (≤ 2u relative, u = 2⁻⁵³), which moves c² + s² by twice
// that, and each quotient rounds once more: ≤ 6u. LAPACK's own dlartg reaches 2.05 ulps on
// random inputs, and the rotations of these sweeps 1.65.
const ROTATION_NORM_ULPS = 3;
// dlas2 and dlasv2 against the exact SVD: LAPACK documents "correct to within a few units in
// the last place" for every output, barring over/underflow (dlasv2's Further Details);
// 4 ulps is that "few", with ½ ulp for the fixture's rounding inside it.
const TWO_BY_TWO_ULPS = 4;
// [csl snl; −snl csl]·[f g; 0 h]·[csr −snr; snr csr] = diag(ssmax, ssmin), each entry to
// 8 ulps of |ssmax|: the outputs' own ≤ 4 ulps, and the check's rounding in double (two
// products of three factors and a sum per entry, ≤ 3 ulps of |ssmax|).
const IDENTITY_ULPS = 8;
// The zero-shift sweep, every entry and rotation relative to itself: it never subtracts (only
// products, quotients and square roots of sums of squares), so relative errors add along the
// sweep instead of growing (Demmel & Kahan 1990 §3, barring underflow, which the fixture's
// generator rules out). 16 ulps cover the longest sweep here (47 steps, worst measured 8).
const ZERO_SHIFT_ULPS = 16;
// The shifted sweep, normwise: d and e to ulps of ‖B‖ (the largest input entry of the block),
// its rotations to ulps of 1. Each step is backward stable but subtracts, so rounding moves
// the rotations of the later steps by a few ulps times how much the chase amplifies them;
// on these blocks (chosen so that the chase is determined to working precision, see the
// generator) the worst measured is 11.5 ulps.
const SHIFTED_ULPS = 32;
/** Written past every buffer the kernel may write: it must stay. */
const SENTINEL = -12345.678;

interface RoutineExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  debugGivens(f: number, g: number, out: number): void;
  debugTwoByTwoValues(f: number, g: number, h: number, out: number): number;
  debugTwoByTwoSvd(f: number, g: number, h: number, out: number): void;
  debugZeroShiftSweepDown(d: number, e: number, ll: number, m: number, rc: number, rs: number, lc: number, ls: number, g: number): void;
  debugZeroShiftSweepUp(d: number, e: number, ll: number, m: number, rc: number, rs: number, lc: number, ls: number, g: number): void;
  debugShiftedSweepDown(d: number, e: number, ll: number, m: number, shift: number, rc: number, rs: number, lc: number, ls: number, g: number): void;
  debugShiftedSweepUp(d: number, e: number, ll: number, m: number, shift: number, rc: number, rs: number, lc: number, ls: number, g: number): void;
}

interface Sweep {
  name: string;
  what: string;
  kind: "zero" | "shifted";
  direction: "down" | "up";
  ll: number;
  m: number;
  shift: number;
  d: number[];
  e: number[];
  compare_rotations?: boolean;
  out: Record<"d" | "e" | "rc" | "rs" | "lc" | "ls", number[]>;
}

interface SmallRoutines {
  lapack: string;
  givens: { what: string; f: number; g: number; lapack: number[]; exact: number[] }[];
  two_by_two: { what: string; f: number; g: number; h: number; ssmin: number; ssmax: number; snr: number; csr: number; snl: number; csl: number }[];
  sweeps: Sweep[];
}

const ref = fixture<SmallRoutines>("small-routines.json");
const x = new WebAssembly.Instance(new WebAssembly.Module(testBuildBytes()), {}).exports as unknown as RoutineExports;

/** Byte addresses for `counts` doubles each, one after another from heapBase() (16-byte
 *  aligned), growing memory as needed; each buffer gets one SENTINEL slot after it. */
function layout(counts: number[]): number[] {
  let next = x.heapBase();
  const addresses = counts.map((count) => {
    const p = next;
    next += Math.ceil(((count + 1) * 8) / 16) * 16;
    return p;
  });
  const need = next - x.memory.buffer.byteLength;
  if (need > 0) x.memory.grow(Math.ceil(need / 65536));
  addresses.forEach((p, i) => new Float64Array(x.memory.buffer, p, counts[i] + 1).fill(SENTINEL));
  return addresses;
}

/** `count` doubles at p, and the slot after them. */
function read(p: number, count: number): { values: number[]; after: number } {
  const view = new Float64Array(x.memory.buffer, p, count + 1);
  return { values: Array.from(view.subarray(0, count)), after: view[count] };
}

/** x as m·2^k with m an integer (BigInt). */
function mantissaExponent(v: number): [bigint, number] {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, Math.abs(v));
  const word = bits.getBigUint64(0);
  const field = Number(word >> 52n);
  const fraction = word & ((1n << 52n) - 1n);
  return field === 0 ? [fraction, -1074] : [fraction | (1n << 52n), field - 1075];
}

/** c² + s² − 1, computed exactly, in units of 2⁻⁵² (one ulp of 1). */
function rotationNormError(c: number, s: number): number {
  const [mc, kc] = mantissaExponent(c);
  const [ms, ks] = mantissaExponent(s);
  const k = Math.min(2 * kc, 2 * ks, 0);
  // total · 2^k = c² + s² − 1 exactly; k ≤ −104 for any c, s ≤ 1 but c = 1 (then s = 0).
  const total = ((mc * mc) << BigInt(2 * kc - k)) + ((ms * ms) << BigInt(2 * ks - k)) - (1n << BigInt(-k));
  const shift = -k - 52; // total / 2^shift, with 20 bits of fraction kept
  return shift >= 0 ? Number((total << 20n) >> BigInt(shift)) / 2 ** 20 : Number(total << BigInt(-shift));
}

describe(`givens (dlartg) against LAPACK ${ref.lapack} and the exact c, s, r`, () => {
  for (const r of ref.givens) {
    test(`f = ${r.f}, g = ${r.g}: ${r.what}`, () => {
      const [out] = layout([3]);
      x.debugGivens(r.f, r.g, out);
      const { values: [c, s, rr], after } = read(out, 3);
      const got = [c, s, rr];
      ["c", "s", "r"].forEach((name, i) => {
        expect(ulpsApart(got[i], r.lapack[i]), `${name} = ${got[i]}, LAPACK ${r.lapack[i]}`).toBeLessThanOrEqual(GIVENS_VS_LAPACK_ULPS);
        expect(ulpsApart(got[i], r.exact[i]), `${name} = ${got[i]}, exact ${r.exact[i]}`).toBeLessThanOrEqual(GIVENS_VS_EXACT_ULPS);
      });
      expect(c).toBeGreaterThanOrEqual(0);
      if (r.f !== 0) expect(Math.sign(rr), `r = ${rr} takes the sign of f`).toBe(Math.sign(r.f));
      else expect(rr).toBeGreaterThanOrEqual(0);
      expect(Math.abs(rotationNormError(c, s)), `c² + s² − 1 in ulps of 1`).toBeLessThanOrEqual(ROTATION_NORM_ULPS);
      expect(after).toBe(SENTINEL);
    });
  }
});

describe("twoByTwoValues (dlas2) and twoByTwoSvd (dlasv2) against the exact SVD of [f g; 0 h]", () => {
  for (const r of ref.two_by_two) {
    test(`f = ${r.f}, g = ${r.g}, h = ${r.h}: ${r.what}`, () => {
      const [out] = layout([6]);
      const returned = x.debugTwoByTwoValues(r.f, r.g, r.h, out);
      const values = read(out, 2);
      const [ssmin2, ssmax2] = values.values;
      expect(values.after).toBe(SENTINEL);
      expect(Object.is(returned, ssmin2), "dlas2 returns the ssmin it writes").toBe(true);
      expect(ulpsApart(ssmin2, Math.abs(r.ssmin)), `dlas2 ssmin ${ssmin2}, exact ${Math.abs(r.ssmin)}`).toBeLessThanOrEqual(TWO_BY_TWO_ULPS);
      expect(ulpsApart(ssmax2, Math.abs(r.ssmax)), `dlas2 ssmax ${ssmax2}, exact ${Math.abs(r.ssmax)}`).toBeLessThanOrEqual(TWO_BY_TWO_ULPS);

      const [out6] = layout([6]);
      x.debugTwoByTwoSvd(r.f, r.g, r.h, out6);
      const svd = read(out6, 6);
      expect(svd.after).toBe(SENTINEL);
      const [ssmin, ssmax, snr, csr, snl, csl] = svd.values;
      const want = [r.ssmin, r.ssmax, r.snr, r.csr, r.snl, r.csl];
      ["ssmin", "ssmax", "snr", "csr", "snl", "csl"].forEach((name, i) => {
        expect(ulpsApart(svd.values[i], want[i]), `${name} = ${svd.values[i]}, exact ${want[i]}`).toBeLessThanOrEqual(TWO_BY_TWO_ULPS);
      });
      expect(Math.abs(ssmax)).toBeGreaterThanOrEqual(Math.abs(ssmin));
      // Two components within TWO_BY_TWO_ULPS of a true rotation's.
      expect(Math.abs(rotationNormError(csl, snl)), "csl² + snl² − 1 in ulps of 1").toBeLessThanOrEqual(2 * TWO_BY_TWO_ULPS);
      expect(Math.abs(rotationNormError(csr, snr)), "csr² + snr² − 1 in ulps of 1").toBeLessThanOrEqual(2 * TWO_BY_TWO_ULPS);
      // The identity itself, in double: L·A, then (L·A)·R.
      const { f, g, h } = r;
      const t00 = csl * f;
      const t01 = csl * g + snl * h;
      const t10 = -snl * f;
      const t11 = -snl * g + csl * h;
      const product = [t00 * csr + t01 * snr, -t00 * snr + t01 * csr, t10 * csr + t11 * snr, -t10 * snr + t11 * csr];
      const diagonal = [ssmax, 0, 0, ssmin];
      const unit = ulp(ssmax);
      product.forEach((v, i) => {
        expect(Math.abs(v - diagonal[i]) / unit, `L·A·R entry ${i}: ${v} vs ${diagonal[i]} (ulps of |ssmax|)`).toBeLessThanOrEqual(IDENTITY_ULPS);
      });
    });
  }
});

const SWEEPS = {
  zero: { down: "debugZeroShiftSweepDown", up: "debugZeroShiftSweepUp" },
  shifted: { down: "debugShiftedSweepDown", up: "debugShiftedSweepUp" },
} as const;

/** Runs one sweep on a copy of the case's bidiagonal; returns everything it wrote and the
 *  slots after each buffer. */
function runSweep(r: Sweep) {
  const n = r.d.length;
  const count = r.m - r.ll;
  const [d, e, rc, rs, lc, ls, g] = layout([n, n - 1, count, count, count, count, 3]);
  new Float64Array(x.memory.buffer, d, n).set(r.d);
  new Float64Array(x.memory.buffer, e, n - 1).set(r.e);
  if (r.kind === "zero") x[SWEEPS.zero[r.direction]](d, e, r.ll, r.m, rc, rs, lc, ls, g);
  else x[SWEEPS.shifted[r.direction]](d, e, r.ll, r.m, r.shift, rc, rs, lc, ls, g);
  return { d: read(d, n), e: read(e, n - 1), rc: read(rc, count), rs: read(rs, count), lc: read(lc, count), ls: read(ls, count) };
}

describe("one dbdsqr sweep against its exact counterpart (the same algorithm without rounding)", () => {
  for (const r of ref.sweeps) {
    test(`${r.name}: ${r.what}`, () => {
      const got = runSweep(r);
      const rotations = ["rc", "rs", "lc", "ls"] as const;
      for (const key of ["d", "e", ...rotations] as const) expect(got[key].after, `the slot after ${key}`).toBe(SENTINEL);
      // Outside the block d[ll..m], e[ll..m−1] nothing moves.
      r.d.forEach((v, i) => { if (i < r.ll || i > r.m) expect(got.d.values[i], `d[${i}]`).toBe(v); });
      r.e.forEach((v, i) => { if (i < r.ll || i >= r.m) expect(got.e.values[i], `e[${i}]`).toBe(v); });
      // Every recorded pair is a rotation.
      for (let j = 0; j < r.m - r.ll; j++) {
        expect(Math.abs(rotationNormError(got.rc.values[j], got.rs.values[j])), `right rotation ${j}`).toBeLessThanOrEqual(ROTATION_NORM_ULPS);
        expect(Math.abs(rotationNormError(got.lc.values[j], got.ls.values[j])), `left rotation ${j}`).toBeLessThanOrEqual(ROTATION_NORM_ULPS);
      }
      const block = { d: [r.ll, r.m + 1], e: [r.ll, r.m], rc: [0, r.m - r.ll], rs: [0, r.m - r.ll], lc: [0, r.m - r.ll], ls: [0, r.m - r.ll] };
      if (r.kind === "zero") {
        for (const [key, [from, to]] of Object.entries(block) as [keyof typeof block, number[]][]) {
          for (let i = from; i < to; i++) {
            const v = got[key].values[i];
            expect(ulpsApart(v, r.out[key][i]), `${key}[${i}] = ${v}, exact ${r.out[key][i]}`).toBeLessThanOrEqual(ZERO_SHIFT_ULPS);
          }
        }
      } else {
        let norm = 0;
        for (let i = r.ll; i <= r.m; i++) norm = Math.max(norm, Math.abs(r.d[i]), i < r.m ? Math.abs(r.e[i]) : 0);
        const keys = r.compare_rotations ? (["d", "e", ...rotations] as const) : (["d", "e"] as const);
        for (const key of keys) {
          const unit = key === "d" || key === "e" ? ulp(norm) : ulp(1);
          const [from, to] = block[key];
          for (let i = from; i < to; i++) {
            const v = got[key].values[i];
            expect(Math.abs(v - r.out[key][i]) / unit, `${key}[${i}] = ${v}, exact ${r.out[key][i]} (ulps of ${key === "d" || key === "e" ? "‖B‖" : "1"})`)
              .toBeLessThanOrEqual(SHIFTED_ULPS);
          }
        }
      }
    });
  }
});
