// Exports compiled into the debug build only (scripts/build.mjs adds this entry for it):
// hooks that let the tests exercise the wrapper's fault handling.

/** Traps unconditionally (`unreachable`), so tests can check that the wrapper recovers. */
export function debugTrap(): void {
  unreachable();
}
