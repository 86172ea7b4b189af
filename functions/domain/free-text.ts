/**
 * What people may type: names are names (letters, spaces, hyphens, apostrophes), and no free-text field
 * may carry an identity number. Free text is kept in the table and shown after sign-in, never mailed;
 * refusing identity numbers at the edge keeps them out of the table too (only the identity number field
 * takes one, and that is stored as a keyed hash).
 */
import * as z from 'zod/mini';
import { type FieldName, fieldMessage, message } from './messages';
import type { Language } from './referral';

/** Separators people put inside an identity number: spaces anywhere, a dash or plus before the last four. */
const SPACE = /^[\s\u00a0]{0,2}$/;
const BOUNDARY = /^[\s\u00a0]{0,2}[-+\u2010-\u2015\u2212]?[\s\u00a0]{0,2}$/;

function plausibleDate(yymmdd: string): boolean {
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  // Coordination numbers (samordningsnummer) add 60 to the day.
  return month >= 1 && month <= 12 && ((day >= 1 && day <= 31) || (day >= 61 && day <= 91));
}

/**
 * The first thing in `text` that looks like a Swedish personal identity number or coordination number,
 * in any way it is written: 12 digits (with century 19 or 20) or 10, a dash, plus or nothing before the
 * last four, spaces anywhere between digits. The check digit is not required: a mistyped number still
 * points at a person. Digits glued to more digits are not a match (a longer number is something else).
 */
export function findIdentityNumber(text: string): string | undefined {
  const normalized = text.normalize('NFKC');
  const digits: { index: number; char: string }[] = [];
  for (let i = 0; i < normalized.length; i++)
    if (normalized[i]! >= '0' && normalized[i]! <= '9') digits.push({ index: i, char: normalized[i]! });
  const gap = (k: number) => normalized.slice(digits[k - 1]!.index + 1, digits[k]!.index);
  for (let start = 0; start < digits.length; start++) {
    if (start > 0 && gap(start) === '') continue; // glued to the digit before
    for (const length of [12, 10]) {
      const end = start + length; // exclusive
      if (end > digits.length) continue;
      if (end < digits.length && gap(end) === '') continue; // glued to the digit after
      let joined = true;
      for (let k = start + 1; k < end && joined; k++)
        joined = (k === end - 4 ? BOUNDARY : SPACE).test(gap(k));
      if (!joined) continue;
      const number = digits
        .slice(start, end)
        .map((d) => d.char)
        .join('');
      if (length === 12 && !/^(19|20)/.test(number)) continue;
      if (!plausibleDate(number.slice(length - 10, length - 4))) continue;
      return normalized.slice(digits[start]!.index, digits[end - 1]!.index + 1);
    }
  }
  return undefined;
}

export function containsIdentityNumber(text: string): boolean {
  return findIdentityNumber(text) !== undefined;
}

/** Endings of Swedish street names (Storgatan, Hökarängsplan, Ekbacken, Sveavägen, …). */
const STREET =
  '(?:gatan|gata|vägen|väg|gränd|gränden|plan|planen|torget|torg|backen|backe|stigen|stig|allén|allé|leden|led|liden|lid|kajen|kaj|platsen|plats|ringen|slingan|svängen|terrassen|esplanaden|promenaden|vägen|gången|gång|hagen|höjden|bergsvägen)';
/**
 * A word followed by a number ("Storgatan 12", "Ekbacken 7 B"); the word is then checked for a street
 * ending. A word is tried once, from its first letter (the lookbehind), so long input stays linear.
 */
const WORD_AND_NUMBER = /(?<!\p{L})(\p{L}+)[\s\u00a0]+\d{1,4}(?:[\s\u00a0]?[A-Za-z])?\b/gu;
const STREET_NAME = new RegExp(`^\\p{L}{2,}${STREET}$`, 'iu');
/** A postcode before a place name ("123 45 Stockholm", "SE-123 45 Farsta"). */
const POSTCODE_AND_PLACE = /(?:^|[^\d])(?:SE-?)?\d{3}[\s\u00a0]?\d{2}[\s\u00a0,]+\p{Lu}\p{Ll}+/u;

/**
 * The first thing in `text` that looks like a street address: a street name with its number, or a
 * postcode before a place. Where a child lives is a placement detail; notes must not carry it.
 */
export function findStreetAddress(text: string): string | undefined {
  const normalized = text.normalize('NFKC');
  for (const m of normalized.matchAll(WORD_AND_NUMBER)) if (STREET_NAME.test(m[1]!)) return m[0].trim();
  return POSTCODE_AND_PLACE.exec(normalized)?.[0].trim();
}

/**
 * A person's name: letters of any script (å, ä, ö, accents, also written as combining marks), spaces,
 * hyphens and apostrophes, and at least one letter.
 */
export function isPersonName(text: string): boolean {
  // The apostrophes (’ ʼ) and hyphens (‐ ‑) are written as escapes: one character outside ASCII left in
  // the bundle makes V8 hold and scan the whole file as two-byte text, ~4 % of a cold start (bench/bundles.ts).
  return /^[\p{L}\p{M}\s'\u2019\u02bc\-\u2010\u2011]+$/u.test(text) && /\p{L}/u.test(text);
}

/** A name fit to print in an email greeting, or undefined (stored before names were checked, say). */
export function printableName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  return trimmed && isPersonName(trimmed) && trimmed.length <= 100 ? trimmed : undefined;
}

export const IDENTITY_NUMBER_IN_TEXT = message({
  sv: 'Skriv inte personnummer här. Texten sparas och läses av fler än den behöver; ta bort personnumret (ärendet känns igen på sitt referensnummer).',
  en: 'Do not write identity numbers here. The text is kept and read by more people than need it; remove the identity number (the referral is known by its reference).',
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A name field: `what` names the field in the error messages ("barnets förnamn"), or in both languages
 * ({ sv: "barnets förnamn", en: "the child's first name" }) for a form shown in English.
 */
export function personNameSchema(what: FieldName) {
  const say = (build: (what: string, lang: Language) => string) => fieldMessage(what, build);
  return z.string({ error: say((w, l) => (l === 'en' ? `Fill in ${w}.` : `Fyll i ${w}.`)) }).check(
    z.trim(),
    z.minLength(1, { error: say((w, l) => (l === 'en' ? `Fill in ${w}.` : `Fyll i ${w}.`)) }),
    z.maxLength(100, {
      error: say((w, l) =>
        l === 'en'
          ? `${capitalize(w)} may be at most 100 characters.`
          : `${capitalize(w)} får vara högst 100 tecken.`,
      ),
    }),
    z.superRefine((s, ctx) => {
      if (containsIdentityNumber(s))
        ctx.addIssue({
          code: 'custom',
          message: say((w, l) =>
            l === 'en'
              ? `Do not write an identity number in the field for ${w}. Write only the name; the child's identity number has a field of its own.`
              : `Skriv inte personnummer i fältet för ${w}. Skriv bara namnet; barnets personnummer har ett eget fält.`,
          ),
        });
      else if (/\d/.test(s))
        ctx.addIssue({
          code: 'custom',
          message: say((w, l) =>
            l === 'en'
              ? `${capitalize(w)} must not contain digits. Write only the name, in letters.`
              : `${capitalize(w)} får inte innehålla siffror. Skriv bara namnet, med bokstäver.`,
          ),
        });
      else if (!isPersonName(s))
        ctx.addIssue({
          code: 'custom',
          message: say((w, l) =>
            l === 'en'
              ? `${capitalize(w)} may contain only letters, spaces, hyphens and apostrophes. Remove other characters.`
              : `${capitalize(w)} får bara innehålla bokstäver, mellanslag, bindestreck och apostrofer. Ta bort andra tecken.`,
          ),
        });
    }),
  );
}

export const ADDRESS_IN_TEXT = message({
  sv: 'Skriv inte adresser här. Var barnet bor är en placeringsuppgift som inte ska stå i anteckningen; ta bort gatuadress och postnummer.',
  en: 'Do not write addresses here. Where the child lives is a placement detail that must not be in the note; remove the street address and postcode.',
});

/** Any other free-text field: refused when it carries an identity number or a street address, saying why. */
export function freeTextSchema<T extends z.ZodMiniType<string, string>>(schema: T) {
  return schema.check(
    z.refine((s: string) => !containsIdentityNumber(s), { error: IDENTITY_NUMBER_IN_TEXT }),
    z.refine((s: string) => findStreetAddress(s) === undefined, { error: ADDRESS_IN_TEXT }),
  );
}
