/**
 * Messages a person reads when a form is wrong (zod errors, a use case's checks). They are written in
 * Swedish, the service's language, and a schema keeps its Swedish message as the text zod reports; where
 * a form may be shown in English (custodians who chose it, staff who chose it), the English is declared
 * beside the Swedish with `message({ sv, en })`. As with gettext, the Swedish text is the key: a page in
 * English looks its messages up with `inLanguage`, and a message without English stays Swedish.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { Language } from './referral';

/**
 * zod/mini loads no locale, so an issue without a message of ours would say only "Invalid input". The
 * messages people read are all declared here and in the schemas; the rest (a partnership file's
 * problems, a malformed item in the logs) keep the English classic zod gave them. The English map is
 * built on the first such issue, not at a cold start.
 */
let english: z.core.$ZodErrorMap | undefined;
z.config({ localeError: (issue) => (english ??= en().localeError)(issue) });

export type Bilingual = Record<Language, string>;

const ENGLISH = new Map<string, string>();

/** The Swedish message (what the schema reports), with its English registered for English pages. */
export function message(text: Bilingual): string {
  const known = ENGLISH.get(text.sv);
  // One Swedish text means one thing: a second, different English for it is a mistake in the code.
  if (known !== undefined && known !== text.en)
    throw new Error(`Two English messages for "${text.sv}": "${known}" and "${text.en}"`);
  ENGLISH.set(text.sv, text.en);
  return text.sv;
}

/**
 * A message built from configuration (the partnership's questionnaire items), not from code: the text
 * may change while a container lives (a coordinator adds an item's English), so the newest English
 * counts instead of being refused as a second one.
 */
export function configuredMessage(text: Bilingual): string {
  ENGLISH.set(text.sv, text.en);
  return text.sv;
}

/** A message in the reader's language: its English where one is declared, else the Swedish as it is. */
export function inLanguage(text: string, lang: Language): string {
  return lang === 'en' ? (ENGLISH.get(text) ?? text) : text;
}

/** A form's errors (field → message) in the reader's language. */
export function errorsInLanguage(errors: Record<string, string>, lang: Language): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, text]) => [field, inLanguage(text, lang)]));
}

/**
 * A field's name in both languages, for messages built around it ("Fyll i {what}."): a plain string is
 * Swedish only, as before; a pair registers each message's English.
 */
export type FieldName = string | Bilingual;

/** The message `build` writes around a field's name, in Swedish, with its English registered. */
export function fieldMessage(what: FieldName, build: (what: string, lang: Language) => string): string {
  if (typeof what === 'string') return build(what, 'sv');
  return message({ sv: build(what.sv, 'sv'), en: build(what.en, 'en') });
}

/** Whether a message has an English version (for tests of forms shown in English). */
export const hasEnglish = (text: string): boolean => ENGLISH.has(text);
