/**
 * WCAG 2.1 A and AA on every page state a browser test reaches: `auditPage(page, 'state name')` runs
 * axe-core (evaluated over the DevTools protocol, so the site's strict CSP stays as it is: no
 * `bypassCSP`) at 375 px and at 1280 px, and — for a state its address shows again — in English too,
 * from the same address with `?lang=en` in a second tab. It throws on any violation, naming the state,
 * language, width, rule and element.
 *
 * A new page gets audited by one call where a walkthrough reaches it. A state whose page has no English
 * yet is listed in `NO_ENGLISH_YET` (printed after each file) until it has.
 */
import axe, { type AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

export const AUDIT_WIDTHS = [375, 1280] as const;
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const HEIGHT = 800;

/**
 * States whose page does not answer `?lang=en` in English yet: the English tab is audited anyway (it
 * must still pass axe) but not required to be English. Another change is adding English to these pages;
 * when one answers in English, the summary says so, and it comes off this list.
 */
export const NO_ENGLISH_YET: ReadonlySet<string> = new Set<string>([]);

export interface AuditOptions {
  /**
   * How the English version of this state is audited. `query` (the default): the page's address with
   * `?lang=en`, opened in a second tab. `elsewhere`: the state is the answer to a POST (a receipt, a
   * form with errors, a step done) or opening its address again would act on the record (a used link's
   * page is audited as opened): a walk in English reaches it, or it is listed as not audited in English.
   */
  english?: 'query' | 'elsewhere';
}

export interface AuditRecord {
  state: string;
  lang: string;
  widths: readonly number[];
  /** How long axe took at both widths (the suite's wall time is watched). */
  ms: number;
}

/** Every state audited in this test file, in order, and the states whose English is still missing. */
export const audited: AuditRecord[] = [];
const englishMissing = new Set<string>();
const englishArrived = new Set<string>();
const englishElsewhere = new Set<string>();
/** States that are a POST's answer, reached by a walk in English (see english-states.test.ts). */
const englishWalked = new Set<string>();

/** axe-core itself, evaluated in the page over the DevTools protocol (the page's strict CSP stays as it is). */
const AXE_SOURCE = axe.source;

/**
 * axe's WCAG 2.1 A and AA violations on the page as it is now. axe is injected once per document (a
 * navigation starts a new one without it) and then run at each width: @axe-core/playwright injected its
 * ~550 KB source again on every analyze (~0.6 s a run on this machine, against ~0.06 s for the run itself),
 * which was most of the browser tests' time. Only violations are collected.
 */
export async function wcagViolations(page: Page): Promise<AxeResults['violations']> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  // A sandboxed frame runs no script, so axe cannot run inside it (the mailbox's frame of an email's HTML
  // part: an email, not a page of the site); axe waiting for it would wait for ever.
  return page.evaluate<AxeResults['violations']>(
    `axe.run(
      { exclude: [['iframe[sandbox]']] },
      { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] },
    ).then((results) => results.violations)`,
  );
}

/** axe's violations on the page as it is now, at each width: `rule: element` lines, empty when none. */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  const original = page.viewportSize();
  const found: string[] = [];
  try {
    for (const width of AUDIT_WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      for (const v of await wcagViolations(page))
        for (const node of v.nodes)
          found.push(
            `${label} at ${width}px: ${v.id} (${v.impact ?? ''}) ${node.target.join(' ')} — ${v.help}`,
          );
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
  return found;
}

/** Throws when axe finds a violation on the page state now shown (and its English tab). */
export async function auditPage(page: Page, state: string, options: AuditOptions = {}): Promise<void> {
  await page.waitForLoadState('load');
  const lang = (await page.locator('html').getAttribute('lang')) ?? '?';
  let started = performance.now();
  const violations = await axeViolations(page, `${state} [${lang}]`);
  audited.push({ state, lang, widths: AUDIT_WIDTHS, ms: performance.now() - started });
  if (lang === 'en' || (options.english ?? 'query') === 'elsewhere') {
    if (lang !== 'en') englishElsewhere.add(state);
    else if (options.english === 'elsewhere') englishWalked.add(state);
    if (violations.length) throw new Error(`axe found violations:\n${violations.join('\n')}`);
    return;
  }

  // English from the same address, in a second tab of the same context (the same session and cookies).
  const url = new URL(page.url());
  url.searchParams.set('lang', 'en');
  // The English visit must leave no trace on the walk: its cookies (a visitor's remembered language would
  // otherwise outrank a link recipient's own language on the next person's page) are put back as they were.
  const cookiesBefore = await page.context().cookies();
  const tab = await page.context().newPage();
  try {
    await tab.goto(url.href);
    const tabLang = (await tab.locator('html').getAttribute('lang')) ?? '?';
    started = performance.now();
    violations.push(...(await axeViolations(tab, `${state} [?lang=en → ${tabLang}]`)));
    audited.push({
      state,
      lang: `?lang=en → ${tabLang}`,
      widths: AUDIT_WIDTHS,
      ms: performance.now() - started,
    });
    if (tabLang !== 'en') {
      if (!NO_ENGLISH_YET.has(state))
        violations.push(`${state}: ?lang=en answers in "${tabLang}", and the state is not in NO_ENGLISH_YET`);
      englishMissing.add(state);
    } else if (NO_ENGLISH_YET.has(state)) englishArrived.add(state);
    // A staff session (or a visitor's cookie) keeps the choice: back to the language the walk is in.
    url.searchParams.set('lang', lang);
    await tab.goto(url.href);
  } finally {
    await tab.close();
    await page.context().clearCookies();
    await page.context().addCookies(cookiesBefore);
  }
  if (violations.length) throw new Error(`axe found violations:\n${violations.join('\n')}`);
}

/** What this file audited, for the test output (afterAll): states, languages, widths, missing English. */
export function auditSummary(file: string): string {
  const seconds = audited.reduce((sum, a) => sum + a.ms, 0) / 1000;
  const lines = [
    `axe (${WCAG_TAGS.join(', ')}) in ${file}: ${audited.length} page states × ${AUDIT_WIDTHS.join(' and ')} px, no violations; axe took ${seconds.toFixed(1)} s`,
    ...audited.map((a) => `  - ${a.state} [${a.lang}] ${Math.round(a.ms)} ms`),
  ];
  if (englishMissing.size) lines.push(`  no English yet (NO_ENGLISH_YET): ${[...englishMissing].join('; ')}`);
  if (englishElsewhere.size)
    lines.push(`  English not reached by address (a POST's answer): ${[...englishElsewhere].join('; ')}`);
  if (englishWalked.size)
    lines.push(`  English reached by a walk in English (a POST's answer): ${[...englishWalked].join('; ')}`);
  if (englishArrived.size)
    lines.push(`  now in English, take off NO_ENGLISH_YET: ${[...englishArrived].join('; ')}`);
  return lines.join('\n');
}
