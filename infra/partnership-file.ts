/**
 * The partnership as a file in the repository (`partnerships/*.json`): what a deploy provisions, what
 * `npm run partnership -- check|apply` validates and writes, and what the local demo seeds. Read with
 * the schema the functions read the table item with (`functions/domain/partnership.ts`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePartnership, type Partnership } from '../functions/domain/partnership';
import { key } from '../functions/store/table';

export const PARTNERSHIP_FILE = fileURLToPath(
  new URL('../partnerships/stockholm-bris.json', import.meta.url),
);

/** Reads and validates a partnership file; throws naming the file and every bad field. */
export function readPartnershipFile(path: string): Partnership {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the partnership file ${path}: ${(e as Error).message}`, { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  return parsePartnership(data, `partnership file ${path}`);
}

/** The table item's keys, as `DynamoDbReferralStore.putPartnership` writes them (functions/store/table.ts). */
export const partnershipKey = key.partnership;

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

/** Plain JSON → DynamoDB attribute values (what the document client does at run time), for PutItem in CloudFormation. */
export function marshall(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot store the number ${value}`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  if (typeof value === 'object')
    return {
      M: Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, marshall(v)]),
      ),
    };
  throw new Error(`Cannot store a ${typeof value}`);
}

/** The whole table item for a partnership, marshalled: keys, `entity`, then the partnership's fields. */
export function partnershipItem(p: Partnership): Record<string, AttributeValue> {
  const item = { ...partnershipKey(p.id), entity: 'partnership', ...p };
  return (marshall(item) as { M: Record<string, AttributeValue> }).M;
}
