/**
 * Whose language an email is written in: a staff member's own setting on the partnership's staff list
 * (Swedish when unset), the social worker's from the form she submitted; and the questionnaire's errors
 * in English on an English page.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_SETTINGS, questionnaireSchema } from '../../functions/domain/follow-up';
import { errorsInLanguage } from '../../functions/domain/messages';
import { partnershipProblems, staffLanguageOf, type Partnership } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import { aboveTheCoordinator, coordinatorOf, socialWorker } from '../../functions/kernel/referrals';
import { leaderOf } from '../../functions/phases/groups/group-steps';
import { STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';

const coordinator = STOCKHOLM_PARTNERSHIP.coordinator.email;
const withLanguage = (language: 'sv' | 'en' | undefined): Partnership => ({
  ...STOCKHOLM_PARTNERSHIP,
  staff: STOCKHOLM_PARTNERSHIP.staff.map((m) => (m.email === coordinator ? { ...m, language } : m)),
});

describe("a staff member's language", () => {
  it('is an optional setting on the staff list: sv or en, anything else names the field', () => {
    expect(partnershipProblems(withLanguage('en'))).toEqual([]);
    expect(partnershipProblems(withLanguage(undefined))).toEqual([]);
    const wrong = {
      ...STOCKHOLM_PARTNERSHIP,
      staff: [{ ...STOCKHOLM_PARTNERSHIP.staff[0]!, language: 'de' }],
    };
    expect(partnershipProblems(wrong).join('\n')).toMatch(/^staff\.0\.language: /m);
  });

  it('is what the coordinator, a group leader on the list and those above the coordinator are written in', () => {
    const english = withLanguage('en');
    expect(staffLanguageOf(english, coordinator.toUpperCase())).toBe('en');
    expect(coordinatorOf(english).language).toBe('en');
    expect(coordinatorOf(withLanguage(undefined)).language).toBe('sv');
    expect(leaderOf(english, undefined).language).toBe('en');
    expect(
      leaderOf(english, { leader: { name: 'Lea', email: 'not-on-the-list@bris.example' } }).language,
    ).toBe('sv');
    const alone = { ...english, staff: english.staff.filter((m) => m.role !== 'partnership-admin') };
    const above = aboveTheCoordinator({
      ...alone,
      staff: alone.staff.filter((m) => m.role !== 'coordinator' || m.email === coordinator),
    });
    expect(above.map((m) => m.language)).toEqual(['en']);
  });

  it("of the social worker is the form's, kept on the referral; Swedish for a referral stored before", () => {
    const r = { socialWorker: { name: 'Siv', email: 'siv@farsta.example', language: 'en' } } as Referral;
    expect(socialWorker(r).language).toBe('en');
    expect(
      socialWorker({ socialWorker: { name: 'Siv', email: 'siv@farsta.example' } } as Referral).language,
    ).toBe('sv');
  });
});

describe("the questionnaire's errors", () => {
  it('are in English on an English page, naming the question in English', () => {
    const q = DEFAULT_FOLLOW_UP_SETTINGS.child;
    const parsed = questionnaireSchema(q).safeParse({ 'item-liked': '5' });
    expect(parsed.success).toBe(false);
    const errors = Object.fromEntries(parsed.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(errors['item-talk']).toBe(`Välj ett svar på frågan ”${q.items[1]!.text}”.`);
    expect(errorsInLanguage(errors, 'en')['item-talk']).toBe(
      `Choose an answer to the question "${q.items[1]!.textEn}".`,
    );
  });
});

describe('a questionnaire item whose English arrives while the function runs', () => {
  it("gives the new English instead of failing (the partnership's texts are configuration)", () => {
    const item = { id: 'later', text: 'Vad tyckte du om fikat?' };
    const before = { ...DEFAULT_FOLLOW_UP_SETTINGS.child, items: [item] };
    const after = { ...before, items: [{ ...item, textEn: 'What did you think of the snacks?' }] };
    const errorsOf = (q: typeof before) => {
      const parsed = questionnaireSchema(q).safeParse({});
      return errorsInLanguage(
        Object.fromEntries(parsed.error!.issues.map((i) => [String(i.path[0]), i.message])),
        'en',
      );
    };
    expect(errorsOf(before)['item-later']).toBe(
      'Choose an answer to the question "Vad tyckte du om fikat?".',
    );
    expect(errorsOf(after)['item-later']).toBe(
      'Choose an answer to the question "What did you think of the snacks?".',
    );
  });
});
