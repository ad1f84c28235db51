/** A rows×cols Matrix of xorshift32 draws mapped to [−1, 1) (bench/random.mjs). */
export function randomMatrix(m: number, n: number, seed?: number): { rows: number; cols: number; data: Float64Array };
