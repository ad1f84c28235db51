// Seeded uniform[0,1) generator for SGD starts: xoshiro256** (Blackman & Vigna 2018,
// "Scrambled linear pseudorandom number generators"), state seeded by splitmix64 as
// the authors recommend, so any 64-bit seed (0 included) gives a well-mixed state.

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
 * Cost O(count). Returns the status (always STATUS_OK).
 */
export function fillUniform(out: usize, count: usize, seed: f64): i32 {
  seedState(<u64>seed);
  for (let i: usize = 0; i < count; i++) {
    store<f64>(out + (i << 3), <f64>(nextU64() >> 11) * 1.1102230246251565e-16);
  }
  return 0;
}
