// Validation of scalar arguments and option bags: messages say what was expected and what came.
import { FactorisationError, describe } from "./errors.js";

/** Throws OPTION when `opts` is not a plain object or has a key outside `known` (typo protection). */
export function checkOptionNames(opts: unknown, known: readonly string[], fn: string): Record<string, unknown> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new FactorisationError("OPTION", `${fn} options must be an object; got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) {
      throw new FactorisationError("OPTION", `${fn}: unknown option '${key}'; known options are ${known.join(", ")}`);
    }
  }
  return opts as Record<string, unknown>;
}

/** Rank / k: an integer in [1, min(m, n)]. */
export function checkRank(rank: unknown, m: number, n: number, name = "rank"): number {
  const top = Math.min(m, n);
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1 || rank > top) {
    throw new FactorisationError("RANK", `${name} must be an integer in [1, ${top}] for a ${m}×${n} matrix; got ${describe(rank)}`);
  }
  return rank;
}

/** An integer option in [min, max] (epochs, oversample, …). */
export function integerInRange(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new FactorisationError("OPTION", `${name} must be an integer in [${min}, ${max}]; got ${describe(value)}`);
  }
  return value;
}

/** A finite number > 0 (strict) or ≥ 0. */
export function finiteNumber(value: unknown, name: string, fallback: number, strict: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || (strict ? value <= 0 : value < 0)) {
    throw new FactorisationError("OPTION", `${name} must be a finite number ${strict ? "> 0" : "≥ 0"}; got ${describe(value)}`);
  }
  return value;
}

/** A seed: an integer in [0, 2^53); undefined draws a fresh one from the platform's CSPRNG. */
export function seedOption(value: unknown): number {
  if (value === undefined) {
    const words = new Uint32Array(2);
    globalThis.crypto.getRandomValues(words);
    return (words[0] & 0x1fffff) * 2 ** 32 + words[1];
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new FactorisationError("OPTION", `seed must be an integer in [0, 2^53); got ${describe(value)}`);
  }
  return value;
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new FactorisationError("OPTION", `${name} must be one of ${allowed.map((a) => `'${a}'`).join(", ")}; got ${describe(value)}`);
  }
  return value as T;
}
