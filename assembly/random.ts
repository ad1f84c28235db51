// Seeded uniform[0,1) generator for SGD starts: xoshiro256** (Blackman & Vigna 2018,
// "Scrambled linear pseudorandom number generators"), state seeded by splitmix64 as
// the authors recommend, so any 64-bit seed (0 included) gives a well-mixed state.
import { STATUS_OK, inMemory } from "./status";

// A seed the host may pass: an integer in [0, 2^53), so that it converts to u64 exactly.
// @ts-ignore: decorator
@inline function validSeed(seed: f64): bool {
  return seed >= 0 && seed < 9007199254740992 && Math.floor(seed) == seed;
}

let s0: u64 = 0;
let s1: u64 = 0;
let s2: u64 = 0;
let s3: u64 = 0;

// splitmix64 (Steele, Lea & Flood 2014): one step from `x`, used only to seed the state.
@inline function splitmix64(x: u64): u64 {
  let z = x + 0x9E3779B97F4A7C15;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}

function seedState(seed: u64): void {
  const g: u64 = 0x9E3779B97F4A7C15;
  s0 = splitmix64(seed);
  s1 = splitmix64(seed + g);
  s2 = splitmix64(seed + 2 * g);
  s3 = splitmix64(seed + 3 * g);
}

@inline function nextU64(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

/**
 * Fills `count` doubles at `out` with uniform[0,1) draws from xoshiro256** seeded by
 * `seed` (an integer in [0, 2^53), passed as f64 so hosts need no BigInt). Each draw
 * uses the top 53 bits: (x >> 11) · 2^-53, so 1.0 is never produced.
 * Cost O(count). Preconditions: count ≥ 0; out 8-byte aligned in memory; seed an integer in
 * [0, 2^53). Returns STATUS_OK or −i for a bad argument i.
 */
export function fillUniform(out: usize, count: i32, seed: f64): i32 {
  if (count < 0) return -2;
  if (!inMemory(out, <u64>count << 3)) return -1;
  if (!validSeed(seed)) return -3;
  seedState(<u64>seed);
  for (let i: usize = 0; i < <usize>count; i++) {
    store<f64>(out + (i << 3), <f64>(nextU64() >> 11) * 1.1102230246251565e-16);
  }
  return STATUS_OK;
}

/**
 * Permutes `nnz` coordinate entries (i32 rowIdx, i32 colIdx, f64 val, in step) by a
 * Fisher–Yates shuffle (Knuth, TAOCP vol. 2, §3.4.2, Algorithm P) driven by xoshiro256**
 * seeded with `seed` — the visiting order of a shuffled sparse SGD run. Cost O(nnz).
 * Preconditions: nnz ≥ 0; buffers aligned in memory; seed as fillUniform's. Returns
 * STATUS_OK or −i.
 */
export function shuffleEntries(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, seed: f64): i32 {
  if (nnz < 0) return -4;
  if (!inMemory(rowIdx, <u64>nnz << 2)) return -1;
  if (!inMemory(colIdx, <u64>nnz << 2)) return -2;
  if (!inMemory(val, <u64>nnz << 3)) return -3;
  if (!validSeed(seed)) return -5;
  // A different splitmix64 offset from fillUniform's, so a run's start and order are independent.
  seedState(<u64>seed ^ 0xD1B54A32D192ED03);
  for (let i = nnz - 1; i > 0; i--) {
    // Multiply-shift of 53 random bits: bias below 2^-22 for any nnz < 2^31.
    const j = <i32>(<f64>(nextU64() >> 11) * 1.1102230246251565e-16 * <f64>(i + 1));
    const ri = rowIdx + (<usize>i << 2);
    const rj = rowIdx + (<usize>j << 2);
    const t0 = load<i32>(ri); store<i32>(ri, load<i32>(rj)); store<i32>(rj, t0);
    const ci = colIdx + (<usize>i << 2);
    const cj = colIdx + (<usize>j << 2);
    const t1 = load<i32>(ci); store<i32>(ci, load<i32>(cj)); store<i32>(cj, t1);
    const vi = val + (<usize>i << 3);
    const vj = val + (<usize>j << 3);
    const t2 = load<f64>(vi); store<f64>(vi, load<f64>(vj)); store<f64>(vj, t2);
  }
  return STATUS_OK;
}

/**
 * Fills `count` doubles at `out` with standard normal draws (Box–Muller on xoshiro256**
 * uniforms seeded by `seed`): the Gaussian test matrix of randomised SVD. Cost O(count).
 * Preconditions as fillUniform's. Returns STATUS_OK or −i.
 */
export function fillNormal(out: usize, count: i32, seed: f64): i32 {
  if (count < 0) return -2;
  if (!inMemory(out, <u64>count << 3)) return -1;
  if (!validSeed(seed)) return -3;
  seedState(<u64>seed ^ 0x9E6C63D0676A9A99);
  for (let i: usize = 0; i < <usize>count; i += 2) {
    // 1 − u keeps the logarithm's argument in (0, 1].
    const u1 = 1.0 - <f64>(nextU64() >> 11) * 1.1102230246251565e-16;
    const u2 = <f64>(nextU64() >> 11) * 1.1102230246251565e-16;
    const radius = Math.sqrt(-2.0 * Math.log(u1));
    const angle = 6.283185307179586 * u2;
    store<f64>(out + (i << 3), radius * Math.cos(angle));
    if (i + 1 < <usize>count) store<f64>(out + ((i + 1) << 3), radius * Math.sin(angle));
  }
  return STATUS_OK;
}
