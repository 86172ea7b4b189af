/**
 * The one rule for a page's language (functions/web/language.ts), the switch every page carries, the
 * bilingual error pages, and the referral form's checks and page in both languages.
 */
import { describe, expect, it } from 'vitest';
import type { Language } from '../../functions/domain/referral';
import { checkReferral } from '../../functions/phases/intake/submit-referral';
import { receiptPage, referralFormPage } from '../../functions/phases/intake/pages';
import { PROBLEMS, problemPage } from '../../functions/web/error-pages';
import { html } from '../../functions/web/html';
import {
  browserLanguage,
  chooseLanguage,
  languageOf,
  type LanguageSignals,
  visitorLanguageCookie,
} from '../../functions/web/language';
import { page } from '../../functions/web/layout';
import { withPageRequest } from '../../functions/web/request-context';
import { escape as escapeHtml } from 'html-escaper';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';
import { identityNumberFor } from '../support/local';

describe('the language rule', () => {
  const cases: [string, LanguageSignals, Language][] = [
    ['nothing known: Swedish', {}, 'sv'],
    ['an English browser on a first visit', { acceptLanguage: 'en-GB,en;q=0.9' }, 'en'],
    ['a Swedish browser', { acceptLanguage: 'sv-SE,sv;q=0.9,en;q=0.8' }, 'sv'],
    ['a browser naming neither', { acceptLanguage: 'de-DE,fr;q=0.5' }, 'sv'],
    ['the recipient’s stored language before the browser', { recipient: 'en', acceptLanguage: 'sv' }, 'en'],
    ['the remembered choice before the recipient’s', { cookie: 'sv', recipient: 'en' }, 'sv'],
    ['the remembered choice before the browser', { cookie: 'en', acceptLanguage: 'sv-SE' }, 'en'],
    ['?lang= before everything', { query: 'en', cookie: 'sv', recipient: 'sv', acceptLanguage: 'sv' }, 'en'],
    ['?lang=sv on an English browser', { query: 'sv', acceptLanguage: 'en' }, 'sv'],
    ['an unknown ?lang= is no choice', { query: 'de', cookie: 'en' }, 'en'],
    ['a forged cookie is no choice', { cookie: '<script>', acceptLanguage: 'en' }, 'en'],
  ];
  it.each(cases)('%s', (_name, signals, expected) => {
    expect(chooseLanguage(signals)).toBe(expected);
  });

  it.each([
    ['en;q=0, sv;q=0.1', 'sv'],
    ['de-DE,en;q=0.5', 'en'],
    ['EN-us', 'en'],
    ['sv;q=0.5,en;q=0.5', 'sv'],
    ['en;q=abc', 'sv'],
    [undefined, 'sv'],
  ] as const)('Accept-Language %s → %s', (header, expected) => {
    expect(browserLanguage(header)).toBe(expected);
  });

  it('reads the staff cookie under /staff only, the visitor cookie everywhere', () => {
    const cookieHeader = 'bris_staff_lang=en; bris_lang=sv';
    expect(languageOf({ path: '/staff/tasks', cookieHeader })).toBe('en');
    expect(languageOf({ path: '/', cookieHeader })).toBe('sv');
    expect(languageOf({ path: '/staff/tasks', cookieHeader: 'bris_lang=en' })).toBe('en');
  });

  it('remembers a visitor’s choice for the whole site, for a year, out of scripts’ reach', () => {
    const cookie = visitorLanguageCookie('en');
    expect(cookie).toMatch(/^bris_lang=en;/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });
});

/** The page's header (where the switch is), whitespace folded. */
const headerOf = (page: string) => /<header>([\s\S]*?)<\/header>/.exec(page)![1]!.replace(/\s+/g, ' ');
/** The attributes of the first `<tag …>` in `fragment` that has `marker` among them. */
const tagWith = (fragment: string, tag: string, marker = '') =>
  new RegExp(`<${tag}\\s[^>]*${marker}[^>]*>`).exec(fragment.replace(/\s+/g, ' '))?.[0] ?? '';

describe('the language switch in the header', () => {
  const render = (lang: Language, here: string) =>
    withPageRequest({ here, lang }, () => page({ title: 'T', lang, body: html`<p>x</p>` }));

  it('leads to the same page in the other language, named in that language', () => {
    const header = headerOf(render('sv', '/links/abc?x=1'));
    expect(header).toMatch(/<a href="\/links\/abc\?x=1&amp;lang=en" hreflang="en" lang="en" >English<\/a/);
    expect(header).toMatch(/<nav class="site-language" aria-label="Språk">/);
    expect(headerOf(render('en', '/links/abc?lang=en'))).toMatch(
      /<a href="\/links\/abc\?lang=sv" hreflang="sv" lang="sv" >Svenska<\/a/,
    );
  });

  it('is left to the staff pages under /staff (they keep the choice with the session)', () => {
    expect(headerOf(render('sv', '/staff/tasks'))).not.toMatch(/<nav/);
  });

  it('on the referral form is a submit button of the form, so nothing typed is lost', () => {
    const form = referralFormPage({ idempotencyKey: 'k'.repeat(20), districts: ['Farsta'], lang: 'sv' });
    const button = tagWith(headerOf(form), 'button');
    expect(button).toMatch(/form="referral-form"/);
    expect(form).toMatch(/<form method="post" action="\/referrals" novalidate id="referral-form">/);
    expect(button).toMatch(/formaction="\/referrals\?lang=en"/);
    expect(button).toMatch(/name="languageSwitch" value="en"/);
    expect(headerOf(form)).toMatch(/> English <\/button>/);
  });
});

describe('error pages', () => {
  it.each(Object.keys(PROBLEMS.sv).map(Number) as (keyof typeof PROBLEMS.sv)[])(
    '%i exists in both languages in the site layout, with a way back',
    (status) => {
      for (const lang of ['sv', 'en'] as const) {
        const body = problemPage(status, lang);
        expect(body).toMatch(new RegExp(`<html lang="${lang}">`));
        expect(body).toContain(`<h1>${escapeHtml(PROBLEMS[lang][status].title)}</h1>`);
        expect(body).toContain('<link rel="stylesheet" href="/assets/site.css" />');
        expect(body).toMatch(/<main[\s\S]*<a href="\/">[\s\S]*<\/main>/);
      }
      expect(PROBLEMS.en[status].title).not.toBe(PROBLEMS.sv[status].title);
    },
  );
});

describe('the referral form', () => {
  const now = Date.parse('2026-11-23T10:00:00+01:00');
  const valid = {
    idempotencyKey: 'abcdefghijklmnop1234',
    district: 'Farsta',
    childFirstName: 'Sam',
    identityNumber: identityNumberFor('150312', 1),
    socialWorkerName: 'Siv Socialsekreterare',
    socialWorkerEmail: 'siv@farsta.example',
    childWish: 'on',
    custodian1Name: 'Vera Vårdnadshavare',
    custodian1Email: 'vera@example.org',
    carerName: 'Fia Familjehem',
    carerEmail: 'fia@example.org',
  };
  const errorsOf = async (raw: Record<string, string>) => {
    const { deps } = await memoryDependencies({ start: now });
    const checked = await checkReferral(raw, deps);
    if (checked.kind !== 'invalid') throw new Error('expected errors');
    return checked.errors;
  };

  it('reports the age rule together with every other error, on the first submit', async () => {
    const tooYoung = identityNumberFor('230101', 3); // 3 years old
    const errors = await errorsOf({ ...valid, identityNumber: tooYoung, carerEmail: 'nope', childWish: '' });
    expect(Object.keys(errors).sort()).toEqual(['carerEmail', 'childWish', 'identityNumber']);
    expect(errors.identityNumber).toMatch(/Barnet är 3 år/);
  });

  it('gives each identity number fault its own message', async () => {
    const future = (
      await errorsOf({ ...valid, identityNumber: identityNumberFor('271201', 2).replace(/^20/, '20') })
    ).identityNumber;
    expect(future).toMatch(/i framtiden/);
    expect(future).not.toMatch(/kontrollsiffra/i);
    const checkDigit =
      valid.identityNumber.slice(0, -1) + String((Number(valid.identityNumber.slice(-1)) + 1) % 10);
    expect((await errorsOf({ ...valid, identityNumber: checkDigit })).identityNumber).toMatch(
      /Kontrollsiffran/,
    );
    expect((await errorsOf({ ...valid, identityNumber: '20150231-1234' })).identityNumber).toMatch(
      /finns inte/,
    );
    expect((await errorsOf({ ...valid, identityNumber: 'abc' })).identityNumber).toMatch(/ÅÅÅÅMMDD-NNNN/);
  });

  it('in English: every text and every error message English, everything typed kept', async () => {
    const errors = await errorsOf({
      ...valid,
      identityNumber: identityNumberFor('230101', 3),
      carerEmail: 'nope',
    });
    const form = referralFormPage({
      idempotencyKey: valid.idempotencyKey,
      districts: STOCKHOLM_PARTNERSHIP.districts,
      values: { ...valid, identityNumber: identityNumberFor('230101', 3), carerEmail: 'nope' },
      errors,
      lang: 'en',
    });
    expect(form).toMatch(/<html lang="en">/);
    const summary = /<div\s+class="error-summary"[\s\S]*?<\/div>/.exec(form)![0].replace(/\s+/g, ' ');
    expect(summary).toMatch(/tabindex="-1" id="error-summary" autofocus/);
    expect(summary).toMatch(/The child is 3 years old/);
    expect(summary).toMatch(/Write the foster carer&#39;s email address as name@example\.com/);
    expect(tagWith(form, 'input', 'id="identityNumber"')).toContain(
      `value="${identityNumberFor('230101', 3)}"`,
    );
    expect(tagWith(form, 'input', 'id="carerEmail"')).toContain('value="nope"');
    expect(tagWith(form, 'input', 'id="childFirstName"')).toContain('value="Sam"');
    expect(tagWith(form, 'option', 'value="Farsta"')).toContain('selected');
    expect(tagWith(form, 'input', 'id="childWish"')).toContain('checked');
    expect(form).toContain('<label for="identityNumber">Child&#39;s personal identity number</label>');
  });

  it('the receipt in English keeps its promises in English', () => {
    const receipt = receiptPage('R-AAAA-BBBB', false, 'en');
    expect(receipt).toContain('<h1>The referral has been received</h1>');
    expect(receipt).toMatch(/<li>when Bris approves the referral/);
  });
});
