/**
 * What a deploy needs that the repository cannot know: the stage, the sender (a domain you control,
 * verified in SES with DKIM), the public base URL of the links, the alarm email. Taken from CDK context
 * (cdk.json, `-c name=value`), over which `deploy.config.json` (or `-c deployConfig=FILE`) wins, and
 * checked all at once, with a message per setting, before any construct exists. `cdk.json` carries placeholders so an
 * offline `cdk synth` (CI, the local runtime) keeps working; with `-c deploy=true` (what
 * `npm run deploy` passes) a placeholder is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini loads no locale: the operator's messages keep the English classic zod gave them.
z.config(en());

/** Domains reserved for documentation (RFC 2606/6761): a placeholder, never a sender or a recipient. */
const PLACEHOLDER_DOMAIN = /(^|\.)(example(\.(org|com|net))?|invalid|test|localhost)$/i;

const stage = z
  .string({ error: 'is required: a short name for this deployment, e.g. prod or test' })
  .check(
    z.regex(
      /^[a-z][a-z0-9-]{0,19}$/,
      'lower-case letters, digits and hyphens, at most 20, starting with a letter',
    ),
  );

export const deploySettingsSchema = z
  .object({
    stage,
    senderDomain: z
      .string({
        error: 'is required: the domain emails are sent from, verified in SES (e.g. stodgrupper.bris.se)',
      })
      .check(
        z.regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'expected a domain name such as stodgrupper.bris.se'),
        z.refine((d) => !PLACEHOLDER_DOMAIN.test(d), {
          message:
            'is a placeholder domain: set senderDomain to a domain you control (SES verifies it by DKIM)',
        }),
      ),
    senderEmail: z
      .email({
        error: 'is required: the From address, at senderDomain (e.g. stodgrupper@stodgrupper.bris.se)',
      })
      .check(
        z.refine((e) => !PLACEHOLDER_DOMAIN.test(e.split('@')[1] ?? ''), {
          message:
            'is the placeholder of cdk.json: set senderEmail to an address at your senderDomain, ' +
            'e.g. -c senderEmail=stodgrupper@stodgrupper.bris.se or "senderEmail" in deploy.config.json',
        }),
      ),
    // "api": the HTTP API's own https URL (known only after the deploy); otherwise a domain you point at it.
    publicBaseUrl: z.pipe(
      z
        .string({
          error:
            'is required: "api" (the links use the HTTP API\'s own URL) or the https address of a domain you ' +
            'point at the API',
        })
        .check(
          z.refine((u) => u === 'api' || (URL.canParse(u) && new URL(u).protocol === 'https:'), {
            message: 'must be "api" or an https:// address',
          }),
        ),
      z.transform((u) => u.replace(/\/+$/, '')),
    ),
    alarmEmail: z
      .email({ error: 'is required: where alarms go (a monitored mailbox of the operator)' })
      .check(
        z.refine((e) => !PLACEHOLDER_DOMAIN.test(e.split('@')[1] ?? ''), {
          message: 'is a placeholder address: set alarmEmail to a mailbox someone reads',
        }),
      ),
    linkTtlDays: z._default(z.coerce.number().check(z.int(), z.positive(), z.maximum(90)), 14),
    partnershipFile: z._default(z.string().check(z.minLength(1)), 'partnerships/stockholm-bris.json'),
    account: z.optional(z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id'))),
    region: z.optional(
      z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region name such as eu-north-1')),
    ),
  })
  .check(
    z.superRefine((s, ctx) => {
      const domain = s.senderEmail.split('@')[1]?.toLowerCase();
      const verified = s.senderDomain.toLowerCase();
      if (domain && domain !== verified && !domain.endsWith(`.${verified}`))
        ctx.addIssue({
          code: 'custom',
          path: ['senderEmail'],
          message: `must be an address at senderDomain ${s.senderDomain} (SES sends only from verified identities)`,
        });
    }),
  );

export type DeploySettings = z.infer<typeof deploySettingsSchema>;

const KEYS = Object.keys(deploySettingsSchema.shape) as (keyof DeploySettings)[];

/** The settings' raw values: the context, overridden by the config file's. */
export function rawDeploySettings(
  context: (key: string) => unknown,
  repoRoot: string,
): { values: Record<string, unknown>; configFile?: string } {
  const given = context('deployConfig');
  const configFile = given
    ? isAbsolute(String(given))
      ? String(given)
      : join(repoRoot, String(given))
    : join(repoRoot, 'deploy.config.json');
  const values: Record<string, unknown> = {};
  for (const key of KEYS) {
    const v = context(key);
    if (v !== undefined && v !== null && v !== '') values[key] = v;
  }
  if (!existsSync(configFile)) {
    if (given) throw new Error(`Deploy settings: the config file ${configFile} does not exist`);
    return { values };
  }
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`Deploy settings: ${configFile} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  return { values: { ...values, ...file }, configFile };
}

/** Checks every setting; throws one error listing each missing or invalid setting and what to set. */
export function checkDeploySettings(values: Record<string, unknown>, source = 'CDK context'): DeploySettings {
  const result = deploySettingsSchema.safeParse(values);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(settings)'}: ${i.message}`);
  throw new Error(
    `Deploy settings are not ready (${source}); nothing was created:\n${lines.join('\n')}\n` +
      'Set them in deploy.config.json (see deploy.config.example.json) or with -c name=value.',
  );
}

/** A deployed partnership must name real people: an example address on the allow-list means nobody can sign in. */
export function placeholderStaff(p: {
  coordinator: { email: string };
  staff: { email: string }[];
}): string[] {
  const bad = (e: string) => PLACEHOLDER_DOMAIN.test(e.split('@')[1] ?? '');
  return [
    ...(bad(p.coordinator.email) ? [`coordinator.email: ${p.coordinator.email}`] : []),
    ...p.staff.flatMap((m, i) => (bad(m.email) ? [`staff.${i}.email: ${m.email}`] : [])),
  ];
}
