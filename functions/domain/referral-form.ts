/**
 * The referral form as the social worker fills it in. Validation messages are Swedish, name the
 * field and say what to do. The schema is built per request because eligibility depends on
 * today's date and on the partnership's district list (data, not code).
 */
import { z } from 'zod';
import type { DateTime } from 'luxon';
import { parseIdentityNumber } from './identity-number';

const name = (what: string) =>
  z
    .string({ error: `Fyll i ${what}.` })
    .trim()
    .min(1, { error: `Fyll i ${what}.` })
    .max(100, { error: `${capitalize(what)} får vara högst 100 tecken.` })
    .refine((s) => !/[<>{}\\]/.test(s), {
      error: `${capitalize(what)} får inte innehålla tecknen < > { } \\.`,
    });

const email = (what: string) =>
  z
    .string({ error: `Fyll i ${what}.` })
    .trim()
    .min(1, { error: `Fyll i ${what}.` })
    .max(254, { error: `${capitalize(what)} är för lång.` })
    .pipe(z.email({ error: `Skriv ${what} som namn@exempel.se.` }));

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const REFERRAL_FORM_FIELDS = [
  'idempotencyKey',
  'district',
  'childFirstName',
  'identityNumber',
  'protectedIdentity',
  'socialWorkerName',
  'socialWorkerEmail',
  'custodianName',
  'custodianEmail',
  'custodianLanguage',
  'carerName',
  'carerEmail',
] as const;
export type ReferralFormField = (typeof REFERRAL_FORM_FIELDS)[number];

export function referralFormSchema(today: DateTime, districts: readonly string[]) {
  return z.object({
    idempotencyKey: z
      .string({ error: 'Formuläret saknar sin engångsnyckel. Ladda om sidan och fyll i igen.' })
      .regex(/^[A-Za-z0-9_-]{16,64}$/, {
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
    socialWorkerName: name('ditt namn'),
    socialWorkerEmail: email('din e-postadress'),
    custodianName: name('vårdnadshavarens namn'),
    custodianEmail: email('vårdnadshavarens e-postadress'),
    custodianLanguage: z
      .enum(['sv', 'en'], { error: 'Välj språk för vårdnadshavarens e-post.' })
      .default('sv'),
    carerName: name('familjehemsförälderns namn'),
    carerEmail: email('familjehemsförälderns e-postadress'),
  });
}

export type ReferralForm = z.infer<ReturnType<typeof referralFormSchema>>;

/** Field → first message; issues without a field go under `_form`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : '_form';
    out[key] ??= issue.message;
  }
  return out;
}
