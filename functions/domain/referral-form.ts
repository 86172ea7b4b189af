/**
 * The referral form as the social worker fills it in. Validation messages are Swedish, name the
 * field and say what to do. The schema depends on today's date and on the partnership's district list
 * (data, not code), so it is built once per day and district list (`formSchemaFor`), not per request:
 * building and compiling it was ~12 % of intake's CPU.
 */
import * as z from 'zod/mini';
import { personNameSchema } from './free-text';
import { identityNumberProblem, parseIdentityNumber, type IdentityNumberProblem } from './identity-number';
import { calendarDate, type DateOrInstant } from './stockholm-dates';
import { type FieldName, fieldMessage, message } from './messages';

/** Names only: letters, spaces, hyphens, apostrophes; never an identity number (see free-text.ts). */
const name = personNameSchema;

/**
 * An email address checked as the form checks it; `what` names the field in the message (Swedish, or
 * both languages for a form shown in English).
 */
export const email = (what: FieldName) => {
  const fill = fieldMessage(what, (w, l) => (l === 'en' ? `Fill in ${w}.` : `Fyll i ${w}.`));
  return z.pipe(
    z.string({ error: fill }).check(
      z.trim(),
      z.minLength(1, { error: fill }),
      z.maxLength(254, {
        error: fieldMessage(what, (w, l) =>
          l === 'en' ? `${capitalize(w)} is too long.` : `${capitalize(w)} är för lång.`,
        ),
      }),
    ),
    z.email({
      error: fieldMessage(what, (w, l) =>
        l === 'en' ? `Write ${w} as name@example.com.` : `Skriv ${w} som namn@exempel.se.`,
      ),
    }),
  );
};

/** Each way an identity number can be wrong, said as what to do about it. */
const IDENTITY_NUMBER_MESSAGES: Record<IdentityNumberProblem, string> = {
  format: message({
    sv: 'Skriv barnets personnummer som ÅÅÅÅMMDD-NNNN, till exempel 20150312-1236.',
    en: "Write the child's identity number as YYYYMMDD-NNNN, for example 20150312-1236.",
  }),
  date: message({
    sv: 'Födelsedatumet i personnumret finns inte. Kontrollera månad och dag (ÅÅÅÅMMDD-NNNN).',
    en: 'The date of birth in the identity number does not exist. Check the month and day (YYYYMMDD-NNNN).',
  }),
  future: message({
    sv: 'Födelsedatumet i personnumret ligger i framtiden. Kontrollera året (ÅÅÅÅMMDD-NNNN).',
    en: 'The date of birth in the identity number is in the future. Check the year (YYYYMMDD-NNNN).',
  }),
  'check-digit': message({
    sv: 'Kontrollsiffran i barnets personnummer stämmer inte. Kontrollera siffrorna (ÅÅÅÅMMDD-NNNN).',
    en: "The check digit of the child's identity number does not match. Check the digits (YYYYMMDD-NNNN).",
  }),
};

/** Field names in both languages, for the messages built around them. */
const FIELD_NAMES = {
  childFirstName: { sv: 'barnets förnamn', en: "the child's first name" },
  socialWorkerName: { sv: 'ditt namn', en: 'your name' },
  socialWorkerEmail: { sv: 'din e-postadress', en: 'your email address' },
  carerName: { sv: 'familjehemsförälderns namn', en: "the foster carer's name" },
  carerEmail: { sv: 'familjehemsförälderns e-postadress', en: "the foster carer's email address" },
  custodian1Name: { sv: 'vårdnadshavarens namn', en: "the custodian's name" },
  custodian2Name: { sv: 'den andra vårdnadshavarens namn', en: "the second custodian's name" },
  custodianEmail: { sv: 'vårdnadshavarens e-postadress', en: "the custodian's email address" },
} as const;

const NO_KEY = message({
  sv: 'Formuläret saknar sin engångsnyckel. Ladda om sidan och fyll i igen.',
  en: 'The form is missing its one-time key. Reload the page and fill it in again.',
});

const FILL_IDENTITY_NUMBER = message({
  sv: 'Fyll i barnets personnummer.',
  en: "Fill in the child's identity number.",
});

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
  'carerLanguage',
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
    errors[`custodian${n}Contact`] = message({
      sv: 'Välj hur vårdnadshavaren lämnar samtycke.',
      en: 'Choose how the custodian gives consent.',
    });
  if (language !== 'sv' && language !== 'en')
    errors[`custodian${n}Language`] = message({
      sv: 'Välj språk för vårdnadshavarens e-post.',
      en: "Choose the language of the custodian's email.",
    });
  const checkedName = name(n === 1 ? FIELD_NAMES.custodian1Name : FIELD_NAMES.custodian2Name).safeParse(
    custodianName,
  );
  if (!checkedName.success) errors[`custodian${n}Name`] = checkedName.error.issues[0]!.message;
  let emailAddress: string | undefined;
  if (contact === 'email') {
    const checked = email(FIELD_NAMES.custodianEmail).safeParse(rawEmail);
    if (!checked.success)
      errors[`custodian${n}Email`] = rawEmail
        ? checked.error.issues[0]!.message
        : message({
            sv: 'Fyll i vårdnadshavarens e-postadress, eller välj att du samlar in samtycket på papper.',
            en: "Fill in the custodian's email address, or choose to collect the consent on paper.",
          });
    else emailAddress = checked.data;
  }
  if (Object.keys(errors).length || !checkedName.success) return { errors };
  return {
    custodian: { number: n, name: checkedName.data, email: emailAddress, language: language as 'sv' | 'en' },
    errors,
  };
}

export function referralFormSchema(today: DateOrInstant, districts: readonly string[]) {
  return z.object({
    idempotencyKey: z.string({ error: NO_KEY }).check(z.regex(IDEMPOTENCY_KEY_PATTERN, { error: NO_KEY })),
    district: z
      .string({ error: message({ sv: 'Välj stadsdelsområde.', en: 'Choose a city district.' }) })
      .check(
        z.refine((d) => districts.includes(d), {
          error: message({
            sv: 'Välj ett av stadsdelsområdena i listan.',
            en: 'Choose one of the city districts in the list.',
          }),
        }),
      ),
    childFirstName: name(FIELD_NAMES.childFirstName),
    identityNumber: z.pipe(
      z
        .string({ error: FILL_IDENTITY_NUMBER })
        .check(z.trim(), z.minLength(1, { error: FILL_IDENTITY_NUMBER })),
      z.transform((value: string, ctx) => {
        const parsed = parseIdentityNumber(value, today);
        if (!parsed) {
          // Each fault its own message: a future birth date is not a wrong check digit.
          const problem = identityNumberProblem(value, today) ?? 'check-digit';
          ctx.issues.push({ code: 'custom', message: IDENTITY_NUMBER_MESSAGES[problem], input: value });
          return z.NEVER;
        }
        return parsed;
      }),
    ),
    protectedIdentity: z.pipe(
      z.optional(
        z.enum(['on', 'off'], {
          error: message({
            sv: 'Ange om barnet har skyddade personuppgifter.',
            en: 'Say whether the child has a protected identity.',
          }),
        }),
      ),
      z.transform((v) => v === 'on'),
    ),
    // The child's own wish is a condition for the group, not a formality: say why the form stops.
    childWish: z.literal('on', {
      error: message({
        sv: 'Bekräfta att barnet har fått veta vad gruppen är och själv vill delta. Stödgruppen bygger på att barnet vill vara med, så anmälan kan inte skickas utan det.',
        en: 'Confirm that the child has been told what the group is and wants to take part. The support group rests on the child wanting to be there, so the referral cannot be sent without it.',
      }),
    }),
    consentBasis: z._default(
      z.enum(['custodians', 'child'], {
        error: message({ sv: 'Välj vem som samtycker.', en: 'Choose who consents.' }),
      }),
      'custodians',
    ),
    custodianMaySeeSchedule: z.pipe(
      z.optional(
        z.enum(['on', 'off'], {
          error: message({
            sv: 'Ange om vårdnadshavarna får se schemat.',
            en: 'Say whether the custodians may see the schedule.',
          }),
        }),
      ),
      z.transform((v) => v === 'on'),
    ),
    socialWorkerName: name(FIELD_NAMES.socialWorkerName),
    socialWorkerEmail: email(FIELD_NAMES.socialWorkerEmail),
    carerName: name(FIELD_NAMES.carerName),
    carerEmail: email(FIELD_NAMES.carerEmail),
    // The language of every email to the family home and of its link pages; Swedish unless chosen.
    carerLanguage: z._default(
      z.enum(['sv', 'en'], {
        error: message({
          sv: 'Välj språk för familjehemmets e-post.',
          en: "Choose the language of the family home's email.",
        }),
      }),
      'sv',
    ),
  });
}

export type ReferralForm = z.infer<ReturnType<typeof referralFormSchema>> & { custodians: CustodianInput[] };

type ReferralFormSchema = ReturnType<typeof referralFormSchema>;
/** The schema of the last day and district list asked for: one partnership per deployment, one day at a time. */
let lastSchema: { key: string; schema: ReferralFormSchema } | undefined;

/**
 * The form's schema for `today`'s Stockholm date and `districts`, built once and reused while both stay
 * the same; another day or a changed district list builds a new one (never a stale one). Built for the
 * day's start: the identity number only compares calendar dates with it.
 */
export function formSchemaFor(today: DateOrInstant, districts: readonly string[]): ReferralFormSchema {
  const day = calendarDate(today);
  const key = JSON.stringify([day, districts]);
  if (lastSchema?.key !== key) lastSchema = { key, schema: referralFormSchema(day, [...districts]) };
  return lastSchema.schema;
}

/** The whole form: the schema and the custodians (checked together, so every error shows at once). */
export function parseReferralForm(
  raw: Record<string, unknown>,
  today: DateOrInstant,
  districts: readonly string[],
):
  | { success: true; data: ReferralForm }
  | {
      success: false;
      errors: Record<string, string>;
      /** The child's birth date where the identity number was right: the age rule can still be checked. */
      birthDate?: string;
    } {
  const base = formSchemaFor(today, districts).safeParse(raw);
  const errors: Record<string, string> = base.success ? {} : fieldErrors(base.error);
  const custodians: CustodianInput[] = [];
  for (const n of [1, 2] as const) {
    const parsed = parseCustodian(raw, n);
    Object.assign(errors, parsed.errors);
    if (parsed.custodian) custodians.push(parsed.custodian);
  }
  if (!base.success || Object.keys(errors).length) {
    const number =
      typeof raw.identityNumber === 'string'
        ? parseIdentityNumber(raw.identityNumber.trim(), today)
        : undefined;
    return { success: false, errors, ...(number ? { birthDate: number.birthDate } : {}) };
  }
  return { success: true, data: { ...base.data, custodians } };
}

/** Field → first message; issues without a field go under `_form`. */
export function fieldErrors(error: z.core.$ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : '_form';
    out[key] ??= issue.message;
  }
  return out;
}
