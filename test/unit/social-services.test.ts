/** The referral form mails only the partnership's social services: the social worker's address domain. */
import { describe, expect, it } from 'vitest';
import { hasEnglish, inLanguage } from '../../functions/domain/messages';
import { partnershipSchema } from '../../functions/domain/partnership';
import {
  isSocialServicesAddress,
  outsideSocialServicesMessage,
} from '../../functions/domain/social-services';
import { STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';

const CITY = ['stockholm.se'];

describe('a social worker address must be at one of the partnership’s social-services domains', () => {
  it('accepts the domain exactly, in any case', () => {
    expect(isSocialServicesAddress('siv.svensson@stockholm.se', CITY)).toBe(true);
    expect(isSocialServicesAddress('Siv.Svensson@STOCKHOLM.SE', CITY)).toBe(true);
  });

  it('refuses subdomains (listed one by one where a partnership uses them), lookalikes and others', () => {
    expect(isSocialServicesAddress('siv@edu.stockholm.se', CITY)).toBe(false);
    expect(isSocialServicesAddress('siv@stockholm.se.evil.com', CITY)).toBe(false);
    expect(isSocialServicesAddress('siv@evilstockholm.se', CITY)).toBe(false);
    expect(isSocialServicesAddress('siv@stockholm.se@evil.com', CITY)).toBe(false);
    expect(isSocialServicesAddress('anyone@gmail.com', CITY)).toBe(false);
    expect(isSocialServicesAddress('siv@edu.stockholm.se', [...CITY, 'edu.stockholm.se'])).toBe(true);
  });

  it('says in Swedish and English which addresses to use', () => {
    const text = outsideSocialServicesMessage(['stockholm.se', 'socialtjanst.example']);
    expect(text).toContain(
      'Använd din e-postadress på socialtjänsten (…@stockholm.se eller …@socialtjanst.example)',
    );
    expect(hasEnglish(text)).toBe(true);
    expect(inLanguage(text, 'en')).toContain(
      'Use your email address at the social services (…@stockholm.se or',
    );
  });

  it('is a required partnership setting of lower-case domains', () => {
    const { socialServicesDomains: _, ...without } = STOCKHOLM_PARTNERSHIP;
    expect(partnershipSchema.safeParse(without).success).toBe(false);
    for (const bad of [[], ['Stockholm.se'], ['@stockholm.se'], ['https://stockholm.se'], ['stockholm']])
      expect(
        partnershipSchema.safeParse({ ...STOCKHOLM_PARTNERSHIP, socialServicesDomains: bad }).success,
      ).toBe(false);
    expect(STOCKHOLM_PARTNERSHIP.socialServicesDomains).toContain('stockholm.se');
  });
});
