/**
 * AWS SDK clients are built on first use, not when a function's adapters are: a cold start pays only for
 * the clients its first invocation needs. Each one is remembered here so that the bundle benchmark
 * (bench/bundles.ts) can build them all and time a cold start with its clients, as its SDK-only baseline does.
 */
const declared: (() => unknown)[] = [];

export function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  const get = () => (built ??= build());
  declared.push(get);
  return get;
}

/** Builds every client declared so far (the benchmark's probe; nothing in the functions calls it). */
export function buildDeclaredClients(): void {
  for (const get of declared) get();
}
