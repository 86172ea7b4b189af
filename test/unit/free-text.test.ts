/** Names are names, and no free-text field carries an identity number (however it is written) or a street address. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_IN_TEXT,
  containsIdentityNumber,
  findIdentityNumber,
  findStreetAddress,
  freeTextSchema,
  isPersonName,
  personNameSchema,
  printableName,
} from '../../functions/domain/free-text';
import * as z from 'zod/mini';
import { DEFAULT_FOLLOW_UP_SETTINGS, questionnaireSchema } from '../../functions/domain/follow-up';

/** A personal identity number as people write it: digits of a real date, any of the usual separators. */
const identityNumber = fc
  .record({
    year: fc.integer({ min: 1900, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    coordination: fc.boolean(),
    serial: fc.integer({ min: 0, max: 9999 }),
    century: fc.boolean(),
    separator: fc.constantFrom('', '-', '+', ' ', ' - ', '–'),
    spaced: fc.boolean(),
  })
  .map(({ year, month, day, coordination, serial, century, separator, spaced }) => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const yy = century ? String(year) : pad(year % 100);
    const dd = pad(coordination ? day + 60 : day);
    const date = spaced ? `${yy} ${pad(month)} ${dd}` : `${yy}${pad(month)}${dd}`;
    return `${date}${separator}${pad(serial, 4)}`;
  });

/** Text around it that does not glue more digits onto it. */
const surrounding = fc.string({ maxLength: 30 }).map((s) => s.replace(/\d/g, 'x'));

describe('findIdentityNumber', () => {
  it.each([
    '20150312-1236',
    '201503121236',
    '150312-1236',
    '1503121236',
    '150312+1236',
    '2015 03 12-1236',
    '150312 1236',
    '150312 - 1236',
    '20150372-1233', // coordination number
    '19800101-0008',
    '２０１５０３１２－１２３６', // full-width digits
  ])('finds %s alone and inside a sentence', (id) => {
    expect(containsIdentityNumber(id)).toBe(true);
    expect(containsIdentityNumber(`Barnet (${id}) bor på Storgatan 12.`)).toBe(true);
    expect(containsIdentityNumber(`pnr:${id}.`)).toBe(true);
  });

  it('returns the number as it was written', () => {
    expect(findIdentityNumber('Ring om 150312 - 1236 i morgon')).toBe('150312 - 1236');
  });

  it.each([
    'Barnet går redan i en annan grupp.',
    'Storgatan 12, 123 45 Stockholm',
    'Beslut 2026-11-20, dnr SN 2026/1234',
    'Dokument 4711 i akten',
    'Telefon 070-123 45 67',
    '08-123 456 78',
    'Träff 2026-12-05 kl. 10:00–16:00',
    '12345678901234', // a longer number is something else
    '20151312-1236', // month 13
    '20150300-1236', // day 0
    '30150312-1236', // century 30
  ])('leaves %s alone', (text) => {
    expect(findIdentityNumber(text)).toBeUndefined();
  });

  it('finds every identity number, in any format, anywhere in any text (property)', () => {
    fc.assert(
      fc.property(surrounding, identityNumber, surrounding, (before, id, after) => {
        expect(containsIdentityNumber(`${before} ${id} ${after}`)).toBe(true);
        expect(containsIdentityNumber(`${before}${id}${after}`)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds nothing in text with fewer than ten digits (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        fc.pre((text.normalize('NFKC').match(/\d/g) ?? []).length < 10);
        expect(containsIdentityNumber(text)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('person names', () => {
  it.each([
    'Åsa Öberg-Ängström',
    'Zoë',
    "O'Brien",
    'Ali ibn Abbas',
    'José',
    'Ngũgĩ',
    'Siv',
    'Anna-Lena',
    'Éowyn',
    'Zoe\u0308',
  ])('accepts %s', (name) => {
    expect(isPersonName(name)).toBe(true);
    expect(personNameSchema('barnets förnamn').safeParse(name).success).toBe(true);
  });

  it('accepts any string of letters, spaces, hyphens and apostrophes with a letter (property)', () => {
    const part = fc.stringMatching(/^[A-Za-zÅÄÖåäöéüßçñ]{1,12}$/);
    const sep = fc.constantFrom(' ', '-', "'", '’');
    fc.assert(
      fc.property(fc.array(fc.tuple(part, sep)), part, (pairs, last) => {
        const name = pairs.map(([p, s]) => p + s).join('') + last;
        expect(isPersonName(name)).toBe(true);
      }),
    );
  });

  it('refuses digits with a field error that says what to do', () => {
    const r = personNameSchema('barnets förnamn').safeParse('Sam 2');
    expect(r.error?.issues[0]?.message).toBe(
      'Barnets förnamn får inte innehålla siffror. Skriv bara namnet, med bokstäver.',
    );
  });

  it('refuses an identity number and says why', () => {
    const r = personNameSchema('vårdnadshavarens namn').safeParse('Vera 750101-1234');
    expect(r.error?.issues[0]?.message).toMatch(
      /^Skriv inte personnummer i fältet för vårdnadshavarens namn\./,
    );
  });

  it.each(['Sam <b>', 'Vera; DROP', 'a@b', 'Fia (familjehem)', '---', "''"])('refuses %s', (name) => {
    expect(personNameSchema('ditt namn').safeParse(name).success).toBe(false);
  });

  it('prints only real names in email', () => {
    expect(printableName(' Vera ')).toBe('Vera');
    expect(printableName('Vera 150312-1236')).toBeUndefined();
    expect(printableName('Storgatan 12')).toBeUndefined();
    expect(printableName(undefined)).toBeUndefined();
  });
});

describe('free-text fields', () => {
  const reason = freeTextSchema(z.string().check(z.trim(), z.minLength(3)));
  it('accept ordinary text, addresses included, and refuse an identity number with the reason why', () => {
    expect(reason.safeParse('Barnet bor utanför Stockholm.').success).toBe(true);
    const refused = reason.safeParse('Gäller 20150312-1236, se akten.');
    expect(refused.error?.issues[0]?.message).toMatch(/^Skriv inte personnummer här\./);
  });

  it('refuse every identity number whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(surrounding, identityNumber, surrounding, (before, id, after) => {
        expect(reason.safeParse(`Skäl ${before} ${id} ${after}`).success).toBe(false);
      }),
    );
  });
});

describe('questionnaire comments', () => {
  it('refuse an identity number in the free text and accept an ordinary comment', () => {
    const schema = questionnaireSchema(DEFAULT_FOLLOW_UP_SETTINGS.carer);
    const answers = { 'item-wellbeing': '4', 'item-useful': '4', 'item-practical': '5' };
    expect(schema.safeParse({ ...answers, freeText: 'Bra grupp, tack!' }).success).toBe(true);
    const refused = schema.safeParse({ ...answers, freeText: 'Barnet 150312-1236 trivdes.' });
    expect(refused.error?.issues[0]?.path).toEqual(['freeText']);
    expect(refused.error?.issues[0]?.message).toMatch(/^Skriv inte personnummer här\./);
  });
});

describe('a street address in free text', () => {
  it.each([
    'Barnet bor på Storgatan 12 i Farsta hos familjehemmet',
    'Familjen har flyttat till Hökarängsplan 5, 123 47 Farsta',
    'Jag bor på Ekbacken 7 i Farsta',
    'vi bor på Sveavägen 44 B',
    'Adress: 123 45 Stockholm',
    'post till SE-123 45 Farsta',
  ])('is found in "%s" and refused with a message that says why', (text) => {
    expect(findStreetAddress(text)).toBeDefined();
    const parsed = freeTextSchema(z.string()).safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(ADDRESS_IN_TEXT);
  });

  it.each([
    'Barnet mår bra och vill gärna fortsätta.',
    'Under 12 veckor har barnet varit med på 7 av 8 träffar.',
    'Vi har hittat vägen framåt tillsammans.',
    'Hon fyllde 12 år i mars 2027.',
    'Familjehemmet bor i en annan kommun.',
  ])('is not found in ordinary text: "%s"', (text) => {
    expect(findStreetAddress(text)).toBeUndefined();
    expect(freeTextSchema(z.string()).safeParse(text).success).toBe(true);
  });
});
