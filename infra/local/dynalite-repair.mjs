// After an unclean stop, dynalite's secondary indexes are made to match its items again.
//
// dynalite writes an item and its index entries as separate LevelDB writes (index deletes, index puts, then
// the item), so a process killed between them leaves an item in no index, or an index entry for a version of
// the item that was never written. DynamoDB never loses an index entry (a GSI is only eventually consistent),
// and the local runtime finds the referrals to resume through the status index: one such kill left a referral
// active in the table, absent from the index, and never resumed. The items are the truth; every index is
// rebuilt from them, in one atomic batch, before dynalite opens the database. Plain JavaScript, like the
// worker that runs it. Key layout and projections are dynalite's own (its exported getIndexActions).
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import dynaliteDb from 'dynalite/db/index.js';
import { Level } from 'level';

/** Present while a process has the database open; left behind when it was killed. */
export const IN_USE_MARKER = 'bris-in-use';

const TABLE_PREFIX = 'table~';
const INDEX_TYPES = ['Global', 'Local'];

/** Every key with this prefix, with its value. */
async function* entries(db, prefix) {
  // '\xff' sorts after every character dynalite puts in a key.
  for await (const entry of db.iterator({ gte: prefix, lt: `${prefix}\xff` })) yield entry;
}

/**
 * Rebuilds the secondary indexes of every table in the database at `path` from its items.
 * Returns how many index entries it wrote and removed (0 and 0 when they matched).
 */
export async function repairIndexes(path) {
  const db = new Level(path, { valueEncoding: 'json' });
  await db.open();
  let written = 0;
  let removed = 0;
  try {
    for await (const [, table] of entries(db, TABLE_PREFIX)) {
      for (const indexType of INDEX_TYPES) {
        const indexes = table[`${indexType}SecondaryIndexes`] ?? [];
        if (!indexes.length) continue;
        const indexPrefix = (name) => `index-${indexType.toLowerCase()}~${table.TableName}~${name}~`;
        // What each index should hold: the entries dynalite writes for every item as it stands.
        const expected = new Map();
        for await (const [, item] of entries(db, `item-${table.TableName}~`))
          for (const put of dynaliteDb.getIndexActions(indexes, undefined, item, table).puts)
            expected.set(indexPrefix(put.index) + put.key, put.item);
        const batch = [];
        for (const index of indexes)
          for await (const [key, value] of entries(db, indexPrefix(index.IndexName))) {
            const wanted = expected.get(key);
            if (wanted === undefined) {
              batch.push({ type: 'del', key });
              removed++;
            } else if (JSON.stringify(wanted) !== JSON.stringify(value)) {
              batch.push({ type: 'put', key, value: wanted });
              written++;
            }
            expected.delete(key);
          }
        for (const [key, value] of expected) {
          batch.push({ type: 'put', key, value });
          written++;
        }
        if (batch.length) await db.batch(batch);
      }
    }
  } finally {
    await db.close();
  }
  return { written, removed };
}

/**
 * Before dynalite opens `path`: repairs the indexes if the last process to open it did not stop cleanly,
 * and marks the database in use until `markStoppedCleanly`.
 */
export async function openedAfterUncleanStop(path) {
  const marker = join(path, IN_USE_MARKER);
  const unclean = existsSync(marker) && existsSync(join(path, 'CURRENT'));
  const repaired = unclean ? await repairIndexes(path) : undefined;
  writeFileSync(marker, `${process.pid}\n`);
  return repaired;
}

export function markStoppedCleanly(path) {
  rmSync(join(path, IN_USE_MARKER), { force: true });
}
