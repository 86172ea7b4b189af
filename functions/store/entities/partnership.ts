/** A partnership's settings (written from the partnership file). */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parsePartnership, type Partnership } from '../../domain/partnership';
import { get, strip, type Table } from '../io';
import { key } from '../table';

export async function getPartnership(t: Table, partnershipId: string): Promise<Partnership | undefined> {
  // Parsed with the partnership's own schema, not cast: a partnership written by hand or by an older
  // version fails here with every bad field named, not later as an undefined setting deep inside a step.
  const item = await get(t, key.partnership(partnershipId));
  return item === undefined
    ? undefined
    : parsePartnership(strip(item), `partnership ${partnershipId} in the table`);
}

export async function putPartnership(t: Table, p: Partnership): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { ...key.partnership(p.id), entity: 'partnership', ...p },
    }),
  );
}
