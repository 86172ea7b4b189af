/**
 * zod/mini loads no locale (issue 15): the messages people read are the schemas' own, in Swedish with
 * their English beside them; every other issue keeps the English classic zod gave it (messages.ts points
 * zod at its English locale), so a partnership file's problems still say what is wrong.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inLanguage } from '../../functions/domain/messages';
import { partnershipProblems } from '../../functions/domain/partnership';
import { parseReferralForm } from '../../functions/domain/referral-form';

const partnership = JSON.parse(
  readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('zod messages on zod/mini', () => {
  it("a partnership's problems read as classic zod's English said them, not 'Invalid input'", () => {
    expect(partnershipProblems({ ...partnership, districts: 'Kungsholmen', groupCapacity: 1.5 })).toEqual([
      'districts: Invalid input: expected array, received string',
      'groupCapacity: Invalid input: expected int, received number',
    ]);
    expect(partnershipProblems({ ...partnership, districts: [] })).toContain(
      'districts: Too small: expected array to have >=1 items',
    );
  });

  it("the form's own messages, in Swedish and English, for a field of each kind", () => {
    const result = parseReferralForm(
      { idempotencyKey: 'short', childFirstName: '', socialWorkerEmail: 'nope', consentBasis: 'x' },
      new Date('2026-12-01T08:00:00Z'),
      ['Kungsholmen'],
    );
    expect(result.success).toBe(false);
    const errors = result.success ? {} : result.errors;
    expect(errors).toMatchObject({
      idempotencyKey: 'Formuläret saknar sin engångsnyckel. Ladda om sidan och fyll i igen.',
      district: 'Välj stadsdelsområde.',
      childFirstName: 'Fyll i barnets förnamn.',
      identityNumber: 'Fyll i barnets personnummer.',
      socialWorkerEmail: 'Skriv din e-postadress som namn@exempel.se.',
      consentBasis: 'Välj vem som samtycker.',
      childWish: expect.stringMatching(/^Bekräfta att barnet har fått veta/),
    });
    expect(inLanguage(errors.socialWorkerEmail!, 'en')).toBe('Write your email address as name@example.com.');
  });
});
