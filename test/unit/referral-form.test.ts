import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkEligibility } from '../../functions/domain/eligibility';
import { fieldErrors, referralFormSchema } from '../../functions/domain/referral-form';
import { demoPartnership } from '../../infra/local/seed';

const now = DateTime.fromISO('2026-11-23T10:00:00', { zone: 'Europe/Stockholm' });
const partnership = demoPartnership(now.toJSDate());
const schema = referralFormSchema(now, partnership.districts);

export const validForm = {
  idempotencyKey: 'abcdefghijklmnop1234',
  district: 'Farsta',
  childFirstName: 'Sam',
  identityNumber: '20150312-1236',
  socialWorkerName: 'Siv Socialsekreterare',
  socialWorkerEmail: 'siv@farsta.example',
  custodianName: 'Vera Vårdnadshavare',
  custodianEmail: 'vera@example.org',
  custodianLanguage: 'sv',
  carerName: 'Fia Familjehem',
  carerEmail: 'fia@example.org',
};

describe('referral form schema', () => {
  it('accepts a complete form and derives the birth date', () => {
    const r = schema.parse(validForm);
    expect(r.identityNumber.birthDate).toBe('2015-03-12');
    expect(r.protectedIdentity).toBe(false);
    expect(r.custodianLanguage).toBe('sv');
  });

  it('names every missing field in Swedish', () => {
    const result = schema.safeParse({ idempotencyKey: validForm.idempotencyKey });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.childFirstName).toBe('Fyll i barnets förnamn.');
    expect(errors.identityNumber).toBe('Fyll i barnets personnummer.');
    expect(errors.socialWorkerEmail).toBe('Fyll i din e-postadress.');
    expect(errors.district).toBe('Välj stadsdelsområde.');
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining([
        'custodianName',
        'custodianEmail',
        'carerName',
        'carerEmail',
        'socialWorkerName',
      ]),
    );
  });

  it('says what to do about a malformed email and identity number', () => {
    const result = schema.safeParse({
      ...validForm,
      custodianEmail: 'vera-at-example',
      identityNumber: '20150312-1238',
    });
    const errors = fieldErrors(result.error!);
    expect(errors.custodianEmail).toMatch(/namn@exempel\.se/);
    expect(errors.identityNumber).toMatch(/ÅÅÅÅMMDD-NNNN/);
  });

  it('refuses a district outside the partnership', () => {
    const errors = fieldErrors(schema.safeParse({ ...validForm, district: 'Göteborg' }).error!);
    expect(errors.district).toMatch(/stadsdelsområdena i listan/);
  });

  it('refuses markup in names', () => {
    const errors = fieldErrors(schema.safeParse({ ...validForm, childFirstName: '<script>' }).error!);
    expect(errors.childFirstName).toMatch(/får inte innehålla/);
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
