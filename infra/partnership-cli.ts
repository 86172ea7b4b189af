/**
 * `npm run partnership -- check FILE` validates a partnership file and names every bad field.
 * `npm run partnership -- apply FILE --table NAME [--region REGION]` validates it, then writes it to a
 * running stage's table with the AWS SDK (credentials and region from the environment or the profile, as
 * for any AWS tool). The table name is the stateful stack's `TableName` output.
 */
import { createDocumentClient, DynamoDbReferralStore } from '../functions/adapters/dynamodb-store';
import { readPartnershipFile } from './partnership-file';

const USAGE = `usage: npm run partnership -- check FILE
       npm run partnership -- apply FILE --table TABLE_NAME [--region REGION]`;

export async function main(argv: string[], out = console): Promise<number> {
  const [command, file, ...rest] = argv;
  if ((command !== 'check' && command !== 'apply') || !file) {
    out.error(USAGE);
    return 2;
  }
  const option = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  let partnership;
  try {
    partnership = readPartnershipFile(file);
  } catch (e) {
    out.error((e as Error).message);
    return 1;
  }
  if (command === 'check') {
    out.log(
      `${file}: valid partnership "${partnership.id}" (${partnership.districts.length} districts, ` +
        `${partnership.staff.length} staff, ${partnership.periodStart} – ${partnership.periodEnd})`,
    );
    return 0;
  }
  const table = option('table');
  if (!table) {
    out.error(`apply needs --table NAME (the TableName output of the stateful stack)\n${USAGE}`);
    return 2;
  }
  const region = option('region');
  if (region) process.env.AWS_REGION = region;
  const store = new DynamoDbReferralStore(createDocumentClient(), table);
  await store.putPartnership(partnership);
  // Read back through the functions' own parser: what they will see.
  const stored = await store.getPartnership(partnership.id);
  out.log(`${file}: partnership "${stored?.id}" written to ${table}`);
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
