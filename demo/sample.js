// The built-in sample image: a pure, deterministic function usable from the page, the worker
// and Node (the browser test recomputes the SVD of exactly this matrix in Node and compares).
// Only +, −, ×, ÷, sqrt and integer operations are used: IEEE 754 makes those bit-identical in
// every engine, whereas Math.sin/exp/pow may differ in the last bit between engines.

/** Default size: big enough to show structure, small enough for an SVD in a few milliseconds. */
export const SAMPLE_WIDTH = 160;
export const SAMPLE_HEIGHT = 120;

/** Texture noise in [0, 1): a 32-bit integer hash of (x, y) (lowbias32 by Chris Wellons). */
function hashNoise(x, y) {
  let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Triangle wave of period 1 in [0, 1]: stripes without Math.sin. */
function triangle(t) {
  const f = t - Math.floor(t);
  return f < 0.5 ? 2 * f : 2 - 2 * f;
}

/** Coverage of a disc with a one-pixel soft edge (anti-aliased, so the image is not binary). */
function disc(x, y, cx, cy, r) {
  const d = Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
  return Math.min(1, Math.max(0, r + 0.5 - d));
}

/**
 * A width×height grayscale image with values in [0, 1], row-major (one row per image row):
 * a diagonal gradient background, vertical stripes in a band, three discs, a tilted
 * checker patch and a little hashed texture. Low-rank parts (gradient, stripes) and
 * high-rank parts (discs, diagonal edges, noise) make the singular values decay visibly.
 * @param {number} [width]
 * @param {number} [height]
 * @returns {{ width: number, height: number, data: Float64Array }}
 */
export function sampleImage(width = SAMPLE_WIDTH, height = SAMPLE_HEIGHT) {
  const data = new Float64Array(width * height);
  // Shapes are placed in units of the image size so any size gives the same picture.
  const sx = width / SAMPLE_WIDTH;
  const sy = height / SAMPLE_HEIGHT;
  const s = Math.min(sx, sy);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      // Background: a gentle diagonal gradient.
      let g = 0.25 + 0.35 * u + 0.15 * v;
      // A band of vertical stripes across the lower third (rank 1 on its own).
      if (v > 0.66 && v < 0.9) g = 0.2 + 0.6 * triangle(x / (8 * sx));
      // Three discs, one bright, one dark, one mid-grey over the stripes.
      g += (0.95 - g) * disc(x, y, 45 * sx, 40 * sy, 24 * s);
      g += (0.08 - g) * disc(x, y, 112 * sx, 34 * sy, 16 * s);
      g += (0.6 - g) * disc(x, y, 120 * sx, 88 * sy, 13 * s);
      // A checker patch on a 45° lattice: diagonal edges are expensive in low rank.
      const px = x - 72 * sx;
      const py = y - 58 * sy;
      if (Math.abs(px) + Math.abs(py) < 18 * s) {
        const a = Math.floor((px + py) / (6 * s));
        const b = Math.floor((px - py) / (6 * s));
        g = (a + b) % 2 === 0 ? 0.85 : 0.3;
      }
      // A little texture, ±0.03.
      g += 0.06 * (hashNoise(x, y) - 0.5);
      data[y * width + x] = Math.min(1, Math.max(0, g));
    }
  }
  return { width, height, data };
}

/**
 * A seeded mask hiding about `fraction` of the pixels: 1 = observed, 0 = hidden. Deterministic
 * for a given (seed, size, fraction), so a demo run can be repeated exactly.
 * @param {number} width
 * @param {number} height
 * @param {number} fraction hidden fraction in [0, 1)
 * @param {number} seed integer
 * @returns {Float64Array}
 */
export function sampleMask(width, height, fraction, seed) {
  const mask = new Float64Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = hashNoise(i, seed + 0x51ed) < fraction ? 0 : 1;
  return mask;
}
