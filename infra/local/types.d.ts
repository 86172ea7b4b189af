declare module 'dynalite' {
  import type { Server } from 'node:http';
  export default function dynalite(options?: Record<string, unknown>): Server;
}

declare module 'dynalite/db/index.js' {
  /** dynalite's own index bookkeeping: the entries an item's write puts into (and deletes from) each index. */
  const db: {
    getIndexActions(
      indexes: unknown[],
      existingItem: unknown,
      item: unknown,
      table: unknown,
    ): { puts: { index: string; key: string; item: unknown }[]; deletes: { index: string; key: string }[] };
  };
  export default db;
}
