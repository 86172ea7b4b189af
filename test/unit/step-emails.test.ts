/**
 * Every step module in the registry that declares emails: its request, a renewed request and its reminder
 * (the module's own, or the kernel's generic wrapper, as step-links sends it), in the recipient's language
 * or Swedish, each with the link, until when it works, and a template id of its own. The emails live with
 * their phases; this holds them to the one contract the kernel sends them by.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import { renderEmail } from '../../functions/web/emails/render';
import { stepReminder } from '../../functions/web/emails/templates';

const referral: Pick<Referral, 'referralId' | 'child' | 'district'> = {
  referralId: 'R-ABCD-EFGH',
  district: 'Farsta',
  child: {
    firstName: 'Alva',
    birthDate: '2015-03-12',
    ageAtReferral: 11,
    ageBand: '10-12',
    protectedIdentity: false,
  },
};
const url = 'https://x.example/links/t';
const expiresAt = '2026-12-07T09:00:00Z';

const WORDS = {
  sv: { until: 'Länken fungerar en gång', renewed: 'Du bad om en ny länk', reminder: 'Påminnelse: ' },
  en: { until: 'The link works once', renewed: 'You asked for a new link', reminder: 'Reminder: ' },
} as const;

const withEmail = Object.values(HUMAN_STEP_MODULES).filter((m) => m.email);

describe('the request and reminder emails of every step module', () => {
  it('are declared by the screening, consent and escalation steps at least', () => {
    expect(withEmail.map((m) => m.name)).toEqual(
      expect.arrayContaining(['screening', 'consent', 'consent-escalation']),
    );
  });

  for (const module of withEmail)
    for (const language of ['sv', 'en'] as const)
      it(`${module.name}: request, renewed request and reminder to a recipient who reads ${language}`, () => {
        const email = module.email!;
        const to = { name: 'Vera Öberg', language };
        const request = email.request(referral, to, url, expiresAt);
        const renewed = email.request(referral, to, url, expiresAt, { renewed: true });
        const reminder = email.reminder
          ? email.reminder(referral, to, url, expiresAt)
          : stepReminder(email.request(referral, to, url, expiresAt));
        // Staff steps are Swedish; a custodian reads the language she chose.
        expect([language, 'sv']).toContain(request.language);
        for (const c of [request, renewed, reminder]) {
          expect(c.language).toBe(request.language);
          const m = renderEmail('to@example.org', c);
          expect(m.text).toContain(url);
          expect(m.text).toContain(WORDS[c.language].until);
        }
        expect(renewed.template).toBe(request.template);
        expect(renewed.paragraphs[0]).toContain(WORDS[request.language].renewed);
        expect(request.paragraphs.join(' ')).not.toContain(WORDS[request.language].renewed);
        expect(reminder.template).not.toBe(request.template);
        expect(reminder.template).toContain('reminder');
        expect(reminder.subject).toBe(`${WORDS[request.language].reminder}${request.subject}`);
      });

  it('each have a template id of their own', () => {
    const ids = withEmail.map(
      (m) => m.email!.request(referral, { name: 'x', language: 'sv' }, url, expiresAt).template,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});
