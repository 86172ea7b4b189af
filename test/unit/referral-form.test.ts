import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkEligibility } from '../../functions/domain/eligibility';
import { formSchemaFor, parseReferralForm } from '../../functions/domain/referral-form';
import { identityNumber as identityNumberFor } from '../../infra/local/simulated-people';
import { demoPartnership } from '../../infra/local/seed';

const now = DateTime.fromISO('2026-11-23T10:00:00', { zone: 'Europe/Stockholm' });
const partnership = demoPartnership(now.toJSDate());
const parse = (raw: Record<string, unknown>) => parseReferralForm(raw, now, partnership.districts);
const errorsOf = (raw: Record<string, unknown>) => {
  const r = parse(raw);
  if (r.success) throw new Error('expected errors');
  return r.errors;
};
const dataOf = (raw: Record<string, unknown>) => {
  const r = parse(raw);
  if (!r.success) throw new Error(JSON.stringify(r.errors));
  return r.data;
};

export const validForm = {
  idempotencyKey: 'abcdefghijklmnop1234',
  district: 'Farsta',
  childFirstName: 'Sam',
  identityNumber: '20150312-1236',
  socialWorkerName: 'Siv Socialsekreterare',
  socialWorkerEmail: 'siv@farsta.example',
  childWish: 'on',
  custodian1Name: 'Vera Vårdnadshavare',
  custodian1Email: 'vera@example.org',
  custodian1Language: 'sv',
  carerName: 'Fia Familjehem',
  carerEmail: 'fia@example.org',
};

describe('referral form schema', () => {
  it('accepts a complete form and derives the birth date', () => {
    const r = dataOf(validForm);
    expect(r.identityNumber.birthDate).toBe('2015-03-12');
    expect(r.protectedIdentity).toBe(false);
    expect(r.custodians).toEqual([
      { number: 1, name: 'Vera Vårdnadshavare', email: 'vera@example.org', language: 'sv' },
    ]);
  });

  it('names every missing field in Swedish', () => {
    const errors = errorsOf({ idempotencyKey: validForm.idempotencyKey });
    expect(errors.childFirstName).toBe('Fyll i barnets förnamn.');
    expect(errors.identityNumber).toBe('Fyll i barnets personnummer.');
    expect(errors.socialWorkerEmail).toBe('Fyll i din e-postadress.');
    expect(errors.district).toBe('Välj stadsdelsområde.');
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining([
        'custodian1Name',
        'custodian1Email',
        'childWish',
        'carerName',
        'carerEmail',
        'socialWorkerName',
      ]),
    );
  });

  it('says what to do about a malformed email and identity number', () => {
    const errors = errorsOf({
      ...validForm,
      custodian1Email: 'vera-at-example',
      identityNumber: '20150312-1238',
    });
    expect(errors.custodian1Email).toMatch(/namn@exempel\.se/);
    expect(errors.identityNumber).toMatch(/ÅÅÅÅMMDD-NNNN/);
  });

  it('refuses a district outside the partnership', () => {
    const errors = errorsOf({ ...validForm, district: 'Göteborg' });
    expect(errors.district).toMatch(/stadsdelsområdena i listan/);
  });

  it('refuses markup in names', () => {
    const errors = errorsOf({ ...validForm, childFirstName: '<script>' });
    expect(errors.childFirstName).toMatch(/får bara innehålla bokstäver/);
  });

  const NAME_FIELDS = ['childFirstName', 'socialWorkerName', 'custodian1Name', 'custodian2Name', 'carerName'];

  it('accepts names of any script with spaces, hyphens and apostrophes', () => {
    const r = dataOf({
      ...validForm,
      childFirstName: 'Zoë-Åsa',
      socialWorkerName: "Siv O'Neill",
      custodian1Name: 'Ngũgĩ wa Thiong’o',
      custodian2Name: 'José Ängström',
      custodian2Contact: 'paper',
      carerName: 'Fia Öberg',
    });
    expect(r.childFirstName).toBe('Zoë-Åsa');
    expect(r.custodians.map((c) => c.name)).toEqual(['Ngũgĩ wa Thiong’o', 'José Ängström']);
  });

  it('refuses an identity number in every name field, saying why', () => {
    for (const id of ['20150312-1236', '150312-1236', '1503121236', '150312+1236', '2015 03 12 1236']) {
      const form: Record<string, string> = { ...validForm, custodian2Contact: 'paper' };
      for (const f of NAME_FIELDS) form[f] = `Sam ${id}`;
      const errors = errorsOf(form);
      for (const f of NAME_FIELDS)
        expect(errors[f], `${f}: ${id}`).toMatch(/^Skriv inte personnummer i fältet för /);
    }
  });

  it('refuses digits and other characters in names with a Swedish field error', () => {
    const errors = errorsOf({
      ...validForm,
      childFirstName: 'Sam 2',
      carerName: 'Storgatan 12, 123 45 Stockholm',
      socialWorkerName: 'Siv (Farsta)',
    });
    expect(errors.childFirstName).toBe(
      'Barnets förnamn får inte innehålla siffror. Skriv bara namnet, med bokstäver.',
    );
    expect(errors.carerName).toMatch(/^Familjehemsförälderns namn får inte innehålla siffror/);
    expect(errors.socialWorkerName).toMatch(
      /^Ditt namn får bara innehålla bokstäver, mellanslag, bindestreck och apostrofer/,
    );
  });
});

describe("the family home's language", () => {
  it('is Swedish unless the form chose English', () => {
    expect(dataOf(validForm).carerLanguage).toBe('sv');
    expect(dataOf({ ...validForm, carerLanguage: 'en' }).carerLanguage).toBe('en');
  });

  it('names the field and says what to do for a language the service has not', () => {
    expect(errorsOf({ ...validForm, carerLanguage: 'de' }).carerLanguage).toBe(
      'Välj språk för familjehemmets e-post.',
    );
  });
});

describe("custodians and the child's wish", () => {
  it('takes a second custodian, and one without email whose consent the social worker collects', () => {
    const r = dataOf({
      ...validForm,
      custodian2Name: 'Per Pappa',
      custodian2Contact: 'paper',
      custodian2Language: 'en',
    });
    expect(r.custodians).toEqual([
      { number: 1, name: 'Vera Vårdnadshavare', email: 'vera@example.org', language: 'sv' },
      { number: 2, name: 'Per Pappa', email: undefined, language: 'en' },
    ]);
  });

  it('asks for an email or the paper route when a custodian has neither', () => {
    const errors = errorsOf({ ...validForm, custodian2Name: 'Per Pappa', custodian2Contact: 'email' });
    expect(errors.custodian2Email).toMatch(/samlar in samtycket på papper/);
  });

  it("asks for the second custodian's name when only an email is given", () => {
    const errors = errorsOf({ ...validForm, custodian2Email: 'per@example.org' });
    expect(errors.custodian2Name).toBe('Fyll i den andra vårdnadshavarens namn.');
  });

  it("explains why the form cannot be sent without the child's own wish", () => {
    const { childWish: _omit, ...withoutWish } = validForm;
    const errors = errorsOf(withoutWish);
    expect(errors.childWish).toMatch(/bygger på att barnet vill vara med/);
  });
});

describe('eligibility', () => {
  it('accepts ages 7 to 18 and refuses 6 and 19', () => {
    const at = (birthDate: string) => checkEligibility(partnership, { birthDate, district: 'Farsta' }, now);
    expect(at('2019-11-23')).toEqual([]); // 7 today
    expect(at('2007-11-24')).toEqual([]); // 18, 19 tomorrow
    expect(at('2019-11-24').map((p) => p.code)).toEqual(['age']);
    expect(at('2007-11-23').map((p) => p.code)).toEqual(['age']);
  });

  it('refuses outside the partnership period and without funding, with a reason', () => {
    const expired = { ...partnership, periodStart: '2017-01-01', periodEnd: '2018-12-31' };
    const [period] = checkEligibility(expired, { birthDate: '2015-03-12', district: 'Farsta' }, now);
    expect(period?.code).toBe('period');
    expect(period?.message).toContain('2017-01-01 – 2018-12-31');
    const unfunded = { ...partnership, funded: false };
    expect(checkEligibility(unfunded, { birthDate: '2015-03-12', district: 'Farsta' }, now)[0]?.code).toBe(
      'funding',
    );
  });
});

describe('the form schema is built once per day and district list', () => {
  const tomorrow = now.plus({ days: 1 });
  // A child born tomorrow (Stockholm date): a future birth date today, a newborn tomorrow.
  const bornTomorrow = identityNumberFor(tomorrow.toFormat('yyMMdd'), 1);

  it('reuses the schema within a day and for the same districts, at any hour', () => {
    const schema = formSchemaFor(now, partnership.districts);
    expect(formSchemaFor(now.plus({ hours: 5 }), [...partnership.districts])).toBe(schema);
    expect(formSchemaFor(now.startOf('day'), partnership.districts)).toBe(schema);
  });

  it('builds a new schema for a changed district list: a new district is accepted, a removed one refused', () => {
    const before = formSchemaFor(now, partnership.districts);
    const changed = [...partnership.districts.filter((d) => d !== 'Farsta'), 'Nya stadsdelen'];
    expect(formSchemaFor(now, changed)).not.toBe(before);
    expect(parseReferralForm({ ...validForm, district: 'Nya stadsdelen' }, now, changed).success).toBe(true);
    const refused = parseReferralForm(validForm, now, changed);
    expect(refused.success ? {} : refused.errors).toHaveProperty('district');
    // And back: the original list is not answered by the changed list's schema.
    expect(parse(validForm).success).toBe(true);
  });

  it('builds a new schema on a new day: a birth date in the future today is valid tomorrow', () => {
    const today = parseReferralForm(
      { ...validForm, identityNumber: bornTomorrow },
      now,
      partnership.districts,
    );
    expect(today.success ? {} : today.errors).toHaveProperty('identityNumber');
    expect(formSchemaFor(tomorrow, partnership.districts)).not.toBe(
      formSchemaFor(now, partnership.districts),
    );
    const nextDay = parseReferralForm(
      { ...validForm, identityNumber: bornTomorrow },
      tomorrow.startOf('day').plus({ minutes: 1 }),
      partnership.districts,
    );
    expect(nextDay.success ? {} : nextDay.errors).not.toHaveProperty('identityNumber');
  });
});
