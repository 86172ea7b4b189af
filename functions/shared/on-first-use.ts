/**
 * A value built on its first use, then kept. For zod schemas above all: a schema built at import adds to
 * every cold start (bench/bundles.ts), and most invocations of a function need only a few of the schemas
 * its bundle holds. Calls are free of side effects (the annotation), so a bundle that never reads the value
 * holds neither it nor the code that builds it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
