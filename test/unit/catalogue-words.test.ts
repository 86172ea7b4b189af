/**
 * No Swedish fragment inside English text, and no English inside Swedish: every page renderer and email
 * template in WALK is rendered in both languages, and its visible text searched for words only one of the
 * languages has. Copy stays in one dictionary per language beside each page (`EN: typeof SV`: a missing
 * key is a type error); this test finds what the types cannot, a Swedish text left in the English one.
 *
 * To add a page or an email: add an entry to WALK. One still Swedish-only goes in STILL_SWEDISH_ONLY,
 * which the test prints; an entry there that has become clean fails the test, so the list only shrinks.
 */
import { describe, expect, it } from 'vitest';
import type { Group } from '../../functions/domain/partnership';
import type { Language, Referral } from '../../functions/domain/referral';
import { weekendSchedule } from '../../functions/domain/schedule';
import { referralClosed, withdrawnNotice } from '../../functions/phases/closure/emails';
import { consentComplete, consentReminder } from '../../functions/phases/consent/emails';
import { evaluationRequest, followUpSummary } from '../../functions/phases/follow-up/emails';
import {
  absenceNotice,
  attendanceRequest,
  groupPlaced,
  groupSchedule,
  meetingReminder,
  poolUpdate,
} from '../../functions/phases/groups/emails';
import { homeVisitTimes } from '../../functions/phases/groups/home-visit-emails';
import type { GroupLinkResult } from '../../functions/phases/groups/groups';
import { groupLinkPage } from '../../functions/phases/groups/pages';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { LinkRecord } from '../../functions/ports';
import { intakeReceived } from '../../functions/phases/intake/emails';
import { alreadyActivePage, receiptPage, referralFormPage } from '../../functions/phases/intake/pages';
import { checkReferral } from '../../functions/phases/intake/submit-referral';
import { screeningApproved } from '../../functions/phases/screening/emails';
import { type EmailContent, renderEmail } from '../../functions/web/emails/render';
import { PROBLEMS, problemPage } from '../../functions/web/error-pages';
import { linkPage } from '../../functions/web/pages/link-pages';
import { withPageRequest } from '../../functions/web/request-context';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';

/** Common words of one language that the other does not use (checked as whole words, any case). */
const SWEDISH_ONLY = [
  'och',
  'för',
  'att',
  'inte',
  'eller',
  'med',
  'som',
  'är',
  'du',
  'din',
  'ditt',
  'har',
  'kan',
  'till',
  'barnet',
  'barnets',
  'anmälan',
  'anmälningar',
  'socialsekreterare',
  'socialsekreteraren',
  'vårdnadshavare',
  'vårdnadshavaren',
  'vårdnadshavarna',
  'samtycke',
  'samtycker',
  'stödgrupp',
  'stödgrupper',
  'stödgruppen',
  'länk',
  'länken',
  'mejl',
  'mejlet',
  'hej',
  'tack',
  'sidan',
  'gruppen',
  'familjehem',
  'familjehemmet',
  'personnummer',
  'fel',
  'skicka',
  'formuläret',
  'svar',
  'ditt',
  'får',
];
const ENGLISH_ONLY = [
  'the',
  'and',
  'of',
  'to',
  'is',
  'you',
  'your',
  'please',
  'referral',
  'referrals',
  'child',
  'consent',
  'link',
  'email',
  'emails',
  'page',
  'form',
  'thank',
  'send',
  'group',
  'custodian',
  'custodians',
  'social',
  'worker',
  'with',
  'not',
  'this',
  'has',
  'been',
];

/**
 * The words a person reads: tags, styles and the other language's own names (marked with a `lang`
 * attribute, such as the language switch's "English") left out, entities decoded.
 */
function visibleWords(markup: string, lang: Language): string[] {
  const other = lang === 'en' ? 'sv' : 'en';
  const text = markup
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    // An element marked as the other language (not the page itself: a whole page in it is the fault).
    .replace(new RegExp(`<(?!html)(\\w+)[^>]*\\slang="${other}"[^>]*>[\\s\\S]*?</\\1>`, 'g'), ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&[a-z]+;/g, ' ');
  return (text.toLowerCase().match(/[\p{L}]+/gu) ?? []).filter(Boolean);
}

function foreignWords(markup: string, lang: Language): string[] {
  const forbidden = new Set(lang === 'en' ? SWEDISH_ONLY : ENGLISH_ONLY);
  return [...new Set(visibleWords(markup, lang).filter((w) => forbidden.has(w)))];
}

const emailText = (c: EmailContent) => {
  const m = renderEmail('x@example.org', c);
  return `${m.subject}\n${m.html}`;
};

// Fixtures: names that are neither Swedish nor English words.
const referral: Referral = {
  referralId: 'R-ABCD-EFGH',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  phase: 'intake',
  status: 'active',
  child: {
    firstName: 'Zlata',
    birthDate: '2015-03-12',
    ageAtReferral: 11,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'f'.repeat(64),
  socialWorker: { name: 'Siv', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv', at: '2026-11-23T09:00:00.000Z' },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: true,
};
const group: Group = {
  partnershipId: 'stockholm-bris',
  groupId: 'g-10-12-abcdef',
  name: 'Zeta 10-12',
  format: 'weekend',
  ageBand: '10-12',
  status: 'running',
  capacity: 8,
  memberCount: 1,
  meetings: weekendSchedule('2026-12-01'),
};
const premises = { name: 'Bris', address: 'Zetavägen' };
const url = 'https://x.example/links/t';
const due = '2026-12-07T09:00:00Z';
const linkIn = (lang: Language, result: Parameters<typeof linkPage>[1]) =>
  withPageRequest({ here: '/links/t', lang }, () => linkPage('t', result, () => lang).body);

/**
 * The groups phase's own link pages, as the link engine renders them: the link was mailed to a reader of
 * Swedish, and the page is asked for in `lang` (as `?lang=` does), so the page must follow the request.
 */
const groupLink = (step: LinkRecord['step']): LinkRecord => ({
  linkHash: 'h',
  referralId: 'pool',
  step,
  recipient: { role: 'coordinator', name: 'Mo', email: 'mo@bris.example', language: 'sv' },
  createdAt: '2026-11-23T09:00:00.000Z',
  expiresAt: due,
  status: 'open',
  taskToken: '',
});
const poolMember = {
  referralId: 'R-ABCD-EFGH',
  label: 'Zlata',
  age: 11,
  district: 'Farsta',
  waitingDays: 12,
  noWeekdays: true,
};
const GROUP_LINK_RESULTS: Record<string, GroupLinkResult> = {
  'group forming (proposal)': {
    kind: 'proposal',
    status: 200,
    link: groupLink('group-proposal'),
    ageBand: '10-12',
    members: [poolMember],
    proposals: [],
    forecastFrom: 'settings',
    partnership: STOCKHOLM_PARTNERSHIP,
    today: '2026-11-23',
  },
  attendance: {
    kind: 'attendance',
    status: 200,
    link: groupLink('attendance'),
    group,
    meeting: group.meetings![0]!,
    members: [poolMember],
  },
  'group link done': {
    kind: 'group-done',
    link: groupLink('attendance'),
    message: { sv: 'Närvaron för träff 1 är registrerad.', en: 'The attendance for meeting 1 is recorded.' },
  },
  ...Object.fromEntries(
    (['used', 'expired', 'closed', 'superseded'] as const).map((reason) => [
      `group link ${reason}`,
      { kind: 'refused', link: groupLink('attendance'), reason },
    ]),
  ),
};

/** Errors as the form reports them: every field wrong, and the age rule. */
const formErrors = async () => {
  const { deps } = await memoryDependencies({ start: Date.parse('2026-11-23T10:00:00+01:00') });
  const checked = await checkReferral(
    { identityNumber: '20230101-0008', carerEmail: 'x', custodian2Name: '1' },
    deps,
  );
  return checked.kind === 'invalid' ? checked.errors : {};
};

type Walked = { name: string; render: (lang: Language) => string | Promise<string> };

const WALK: Walked[] = [
  {
    name: 'page: referral form',
    render: (lang) =>
      referralFormPage({
        idempotencyKey: 'k'.repeat(20),
        districts: STOCKHOLM_PARTNERSHIP.districts,
        lang,
        childConsent: { allowed: true, fromAge: 12, citation: 'SoL' },
      }),
  },
  {
    name: 'page: referral form with every error',
    render: async (lang) =>
      referralFormPage({
        idempotencyKey: 'k'.repeat(20),
        districts: STOCKHOLM_PARTNERSHIP.districts,
        lang,
        errors: await formErrors(),
      }),
  },
  { name: 'page: receipt', render: (lang) => receiptPage('R-ABCD-EFGH', true, lang) },
  { name: 'page: already referred', render: (lang) => alreadyActivePage(lang) },
  ...(Object.keys(PROBLEMS.sv).map(Number) as (keyof typeof PROBLEMS.sv)[]).map((status) => ({
    name: `page: error ${status}`,
    render: (lang: Language) => withPageRequest({ here: '/nowhere', lang }, () => problemPage(status, lang)),
  })),
  ...(['unknown', 'used', 'superseded', 'closed', 'try-again'] as const).map((kind) => ({
    name: `page: link ${kind}`,
    render: (lang: Language) => linkIn(lang, { kind } as Parameters<typeof linkPage>[1]),
  })),
  ...Object.entries(GROUP_LINK_RESULTS).map(([name, result]) => ({
    name: `page: ${name}`,
    render: (lang: Language) =>
      linkIn(lang, {
        kind: 'own',
        link: result.link,
        render: (token, chosen) => groupLinkPage(token, result, chosen),
      }),
  })),
  ...(['screening', 'consent', 'consent-escalation'] as const).map((step) => ({
    name: `email: ${step} request`,
    render: (lang: Language) =>
      emailText(
        HUMAN_STEP_MODULES[step].email!.request(referral, { name: 'Mo', language: lang }, url, due, {
          withdraw: url,
        }),
      ),
  })),
  {
    name: 'email: consent reminder',
    render: (lang) =>
      emailText(consentReminder(referral, { name: 'Mo', language: lang }, url, due, { withdraw: url })),
  },
  {
    name: 'email: intake received',
    render: (lang) => emailText(intakeReceived(referral, { name: 'Siv', language: lang }, url)),
  },
  {
    name: 'email: screening approved',
    render: (lang) => emailText(screeningApproved(referral, { ...referral.socialWorker, language: lang })),
  },
  ...(['custodian-consent', 'child-consent', 'committee-decision'] as const).map((kind) => ({
    name: `email: consent complete (${kind})`,
    render: (lang: Language) =>
      emailText(consentComplete(referral, { ...referral.socialWorker, language: lang }, { kind })),
  })),
  {
    name: 'email: group placed',
    render: (lang) => emailText(groupPlaced(referral, { ...referral.socialWorker, language: lang }, group)),
  },
  {
    name: 'email: schedule to a custodian',
    render: (lang) =>
      emailText(
        groupSchedule(referral, { ...referral.custodians[0]!, language: lang }, group, premises, 'custodian'),
      ),
  },
  {
    name: 'email: meeting reminder to a custodian',
    render: (lang) =>
      emailText(
        meetingReminder(
          referral,
          { ...referral.custodians[0]!, language: lang },
          group.meetings![0]!,
          premises,
          'custodian',
        ),
      ),
  },
  // Staff and family-home templates: in the recipient's language (issue 14).
  {
    name: 'email: follow-up summary',
    render: (lang) =>
      emailText(
        followUpSummary(
          referral,
          { ...referral.socialWorker, language: lang },
          {
            format: 'weekend',
            attended: 3,
            scheduled: 4,
            childAnswered: true,
            carerAnswered: false,
          },
        ),
      ),
  },
  {
    name: 'email: evaluation request',
    render: (lang) =>
      emailText(
        evaluationRequest(
          referral,
          { ...referral.carer, language: lang },
          { carer: url, child: url },
          'first',
        ),
      ),
  },
  {
    name: 'email: withdrawn notice',
    render: (lang) => emailText(withdrawnNotice(referral, { name: 'Mo', language: lang })),
  },
  {
    name: 'email: referral closed',
    render: (lang) =>
      emailText(referralClosed(referral, { ...referral.socialWorker, language: lang }, 'completed')),
  },
  {
    name: 'email: pool update',
    render: (lang) => emailText(poolUpdate(referral, { name: 'Mo', language: lang }, url, due, undefined, 3)),
  },
  {
    name: 'email: attendance request',
    render: (lang) => emailText(attendanceRequest(group, { name: 'Mo', language: lang }, 1, url, due)),
  },
  {
    name: 'email: absence notice',
    render: (lang) => emailText(absenceNotice(referral, { ...referral.socialWorker, language: lang }, 2)),
  },
  {
    name: 'email: schedule to the family home',
    render: (lang) =>
      emailText(groupSchedule(referral, { ...referral.carer, language: lang }, group, premises, 'carer')),
  },
  {
    name: 'email: meeting reminder to the family home',
    render: (lang) =>
      emailText(
        meetingReminder(referral, { ...referral.carer, language: lang }, group.meetings![0]!, premises),
      ),
  },
  {
    name: 'email: home-visit times to the family home',
    render: (lang) =>
      emailText(homeVisitTimes(referral, { ...referral.carer, language: lang }, [due], url, due)),
  },
];

/**
 * Still Swedish only in English: empty since every walked email has its English (issue 14).
 * Not walked yet (need a link view or a signed-in session as fixture): the screening, consent,
 * escalation, withdrawal, information-request and questionnaire pages, and the
 * staff pages (test/unit/staff-pages-english.test.ts covers those).
 */
const STILL_SWEDISH_ONLY = new Set<string>([]);

describe('one language per page and email', () => {
  it.each(WALK.map((w) => [w.name, w] as const))('%s: no Swedish-only word in English', async (name, w) => {
    const found = foreignWords(await w.render('en'), 'en');
    if (STILL_SWEDISH_ONLY.has(name)) {
      console.log(`still Swedish only in English: ${name} (${found.slice(0, 6).join(', ')})`);
      expect(found, `${name} is English now: remove it from STILL_SWEDISH_ONLY`).not.toEqual([]);
      return;
    }
    expect(found, `${name} in English`).toEqual([]);
  });

  it.each(WALK.map((w) => [w.name, w] as const))('%s: no English-only word in Swedish', async (name, w) => {
    expect(foreignWords(await w.render('sv'), 'sv'), `${name} in Swedish`).toEqual([]);
  });

  it('finds a Swedish word left in English text (the check can fail)', () => {
    expect(foreignWords('<html lang="en"><p>Thank you for the anmälan</p></html>', 'en')).toEqual([
      'anmälan',
    ]);
    expect(foreignWords('<p>Tack för <a lang="en">the referral</a></p>', 'sv')).toEqual([]);
    expect(foreignWords('<p>Tack för the referral</p>', 'sv')).toEqual(['the', 'referral']);
  });
});
