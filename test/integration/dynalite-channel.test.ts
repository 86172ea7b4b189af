/**
 * The local runtime's channel to dynalite's worker (infra/local/dynalite-channel.ts): stopping dynalite with
 * requests under way answers them first, refuses what comes after, and never throws in the worker (a request
 * served after the database closed threw "Database is closed" there and failed suites at their stop).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable, startDynalite } from '../../infra/local/dynalite';
import { localDocumentClient } from '../../infra/local/dynamo-client';
import { synthesizedTemplates } from '../../infra/local/synth';
import { tableDefinition } from '../../infra/local/template';

describe('dynalite over the channel, stopped with requests under way', () => {
  it('answers or refuses every request, and stops without an error in its thread', async () => {
    const dynamo = await startDynalite(undefined);
    await ensureTable(dynamo.endpoint, 'Stopping', tableDefinition((await synthesizedTemplates()).templates));
    const db = localDocumentClient(dynamo.endpoint);
    const put = (i: number) =>
      db.send(new PutCommand({ TableName: 'Stopping', Item: { PK: `P#${i}`, SK: 'S' } })).then(
        () => 'stored' as const,
        () => 'refused' as const,
      );
    const before = Array.from({ length: 200 }, (_, i) => put(i));
    expect(await before[0]).toBe('stored'); // the worker is serving the rest when the stop comes
    const stopped = dynamo.stop();
    // Sent while it stops: on another port than the stop, so served or refused, as they reach the worker.
    const during = Array.from({ length: 20 }, (_, i) => put(1000 + i));
    await expect(stopped).resolves.toBeUndefined();
    // Sent once it has stopped: refused at once (they used to wait for ever on a port nobody read).
    const after = Array.from({ length: 20 }, (_, i) => put(2000 + i));
    const outcomes = await Promise.all([...before, ...during, ...after]);
    expect(outcomes).toHaveLength(240);
    expect(outcomes.slice(220)).toEqual(Array.from({ length: 20 }, () => 'refused'));
    db.destroy();
  });
});
