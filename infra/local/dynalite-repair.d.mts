/** Types of dynalite-repair.mjs (plain JavaScript, run by the dynalite worker). */
export declare const IN_USE_MARKER: string;
export declare function repairIndexes(path: string): Promise<{ written: number; removed: number }>;
export declare function openedAfterUncleanStop(
  path: string,
): Promise<{ written: number; removed: number } | undefined>;
export declare function markStoppedCleanly(path: string): void;
