/**
 * The referral form as the social worker fills it in. Validation messages are Swedish, name the
 * field and say what to do. The schema is built per request because eligibility depends on
 * today's date and on the partnership's district list (data, not code).
 */
import { z } from 'zod';
import type { DateTime } from 'luxon';
import { personNameSchema } from './free-text';
import { parseIdentityNumber } from './identity-number';

/** Names only: letters, spaces, hyphens, apostrophes; never an identity number (see free-text.ts). */
const name = personNameSchema;

/** An email address checked as the form checks it; `what` names the field in the message (Swedish). */
export const email = (what: string) =>
  z
    .string({ error: `Fyll i ${what}.` })
    .trim()
    .min(1, { error: `Fyll i ${what}.` })
    .max(254, { error: `${capitalize(what)} är för lång.` })
    .pipe(z.email({ error: `Skriv ${what} som namn@exempel.se.` }));

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The one-time key that makes a double-submitted form create one referral. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const REFERRAL_FORM_FIELDS = [
  'idempotencyKey',
  'district',
  'childFirstName',
  'identityNumber',
  'protectedIdentity',
  'childWish',
  'socialWorkerName',
  'socialWorkerEmail',
  'consentBasis',
  'custodianMaySeeSchedule',
  'custodian1Name',
  'custodian1Contact',
  'custodian1Email',
  'custodian1Language',
  'custodian2Name',
  'custodian2Contact',
  'custodian2Email',
  'custodian2Language',
  'carerName',
  'carerEmail',
] as const;
export type ReferralFormField = (typeof REFERRAL_FORM_FIELDS)[number];

export interface CustodianInput {
  number: 1 | 2;
  name: string;
  email?: string;
  language: 'sv' | 'en';
}

/** One custodian's fields; custodian 2 is optional (an empty name means there is none). */
function parseCustodian(
  raw: Record<string, unknown>,
  n: 1 | 2,
): { custodian?: CustodianInput; errors: Record<string, string> } {
  const field = (k: string) =>
    typeof raw[`custodian${n}${k}`] === 'string' ? (raw[`custodian${n}${k}`] as string).trim() : '';
  const errors: Record<string, string> = {};
  const custodianName = field('Name');
  const rawEmail = field('Email');
  const contact = field('Contact') || 'email';
  const language = field('Language') || 'sv';
  if (n === 2 && !custodianName && !rawEmail) return { errors };
  if (contact !== 'email' && contact !== 'paper')
    errors[`custodian${n}Contact`] = 'Välj hur vårdnadshavaren lämnar samtycke.';
  if (language !== 'sv' && language !== 'en')
    errors[`custodian${n}Language`] = 'Välj språk för vårdnadshavarens e-post.';
  const checkedName = name(n === 1 ? 'vårdnadshavarens namn' : 'den andra vårdnadshavarens namn').safeParse(
    custodianName,
  );
  if (!checkedName.success) errors[`custodian${n}Name`] = checkedName.error.issues[0]!.message;
  let emailAddress: string | undefined;
  if (contact === 'email') {
    const checked = email('vårdnadshavarens e-postadress').safeParse(rawEmail);
    if (!checked.success)
      errors[`custodian${n}Email`] = rawEmail
        ? checked.error.issues[0]!.message
        : 'Fyll i vårdnadshavarens e-postadress, eller välj att du samlar in samtycket på papper.';
    else emailAddress = checked.data;
  }
  if (Object.keys(errors).length || !checkedName.success) return { errors };
  return {
    custodian: { number: n, name: checkedName.data, email: emailAddress, language: language as 'sv' | 'en' },
    errors,
  };
}

export function referralFormSchema(today: DateTime, districts: readonly string[]) {
  return z.object({
    idempotencyKey: z
      .string({ error: 'Formuläret saknar sin engångsnyckel. Ladda om sidan och fyll i igen.' })
      .regex(IDEMPOTENCY_KEY_PATTERN, {
        error: 'Formuläret saknar sin engångsnyckel. Ladda om sidan och fyll i igen.',
      }),
    district: z
      .string({ error: 'Välj stadsdelsområde.' })
      .refine((d) => districts.includes(d), { error: 'Välj ett av stadsdelsområdena i listan.' }),
    childFirstName: name('barnets förnamn'),
    identityNumber: z
      .string({ error: 'Fyll i barnets personnummer.' })
      .trim()
      .min(1, { error: 'Fyll i barnets personnummer.' })
      .transform((value, ctx) => {
        const parsed = parseIdentityNumber(value, today);
        if (!parsed) {
          ctx.addIssue({
            code: 'custom',
            message:
              'Skriv barnets personnummer som ÅÅÅÅMMDD-NNNN. Kontrollera siffrorna: kontrollsiffran stämmer inte.',
          });
          return z.NEVER;
        }
        return parsed;
      }),
    protectedIdentity: z
      .enum(['on', 'off'], { error: 'Ange om barnet har skyddade personuppgifter.' })
      .optional()
      .transform((v) => v === 'on'),
    // The child's own wish is a condition for the group, not a formality: say why the form stops.
    childWish: z.literal('on', {
      error:
        'Bekräfta att barnet har fått veta vad gruppen är och själv vill delta. Stödgruppen bygger på att barnet vill vara med, så anmälan kan inte skickas utan det.',
    }),
    consentBasis: z.enum(['custodians', 'child'], { error: 'Välj vem som samtycker.' }).default('custodians'),
    custodianMaySeeSchedule: z
      .enum(['on', 'off'], { error: 'Ange om vårdnadshavarna får se schemat.' })
      .optional()
      .transform((v) => v === 'on'),
    socialWorkerName: name('ditt namn'),
    socialWorkerEmail: email('din e-postadress'),
    carerName: name('familjehemsförälderns namn'),
    carerEmail: email('familjehemsförälderns e-postadress'),
  });
}

export type ReferralForm = z.infer<ReturnType<typeof referralFormSchema>> & { custodians: CustodianInput[] };

/** The whole form: the schema and the custodians (checked together, so every error shows at once). */
export function parseReferralForm(
  raw: Record<string, unknown>,
  today: DateTime,
  districts: readonly string[],
): { success: true; data: ReferralForm } | { success: false; errors: Record<string, string> } {
  const base = referralFormSchema(today, districts).safeParse(raw);
  const errors: Record<string, string> = base.success ? {} : fieldErrors(base.error);
  const custodians: CustodianInput[] = [];
  for (const n of [1, 2] as const) {
    const parsed = parseCustodian(raw, n);
    Object.assign(errors, parsed.errors);
    if (parsed.custodian) custodians.push(parsed.custodian);
  }
  if (!base.success || Object.keys(errors).length) return { success: false, errors };
  return { success: true, data: { ...base.data, custodians } };
}

/** Field → first message; issues without a field go under `_form`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : '_form';
    out[key] ??= issue.message;
  }
  return out;
}
