/**
 * The coordinator's proposal page shows why: who waits and since when, the proposed groups, and what one
 * more week would change, as tables with captions and headers, in Swedish and in English.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GROUPING_SETTINGS as S,
  proposeGroups,
  type PoolEntry,
} from '../../functions/domain/grouping';
import { placementOutlook } from '../../functions/domain/placement-outlook';
import type { GroupLinkResult } from '../../functions/phases/groups/groups';
import { groupLinkPage } from '../../functions/phases/groups/pages';
import type { LinkRecord } from '../../functions/ports';
import { STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';

const NOW = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const entry = (id: string, waitedDays: number, district = 'Farsta'): PoolEntry => ({
  referralId: id,
  ageBand: '10-12',
  district,
  waitingSince: new Date(NOW.getTime() - waitedDays * DAY).toISOString(),
});
const POOL = [entry('R-1', 40), entry('R-2', 38), entry('R-3', 20), entry('R-4', 5), entry('R-5', 2)];

function proposalResult(language: 'sv' | 'en'): GroupLinkResult {
  const plan = (pool: PoolEntry[], at: Date) => proposeGroups(pool, S, at);
  const [outlook] = placementOutlook({
    pool: POOL,
    now: NOW,
    ageBands: ['10-12'],
    plan,
    expectedArrivalsPerWeek: () => 1.2,
  });
  return {
    kind: 'proposal',
    status: 200,
    forecastFrom: 'history',
    link: {
      linkHash: 'h',
      referralId: 'pool',
      ageBand: '10-12',
      step: 'group-proposal',
      recipient: { role: 'coordinator', name: 'Samordnare', email: 's@bris.example', language },
      createdAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 14 * DAY).toISOString(),
      status: 'open',
      taskToken: '',
    } as LinkRecord,
    ageBand: '10-12',
    members: POOL.map((e, i) => ({
      referralId: e.referralId,
      label: `Child${i + 1}`,
      age: 11,
      district: e.district,
      waitingDays: Math.floor((NOW.getTime() - Date.parse(e.waitingSince)) / DAY),
      noWeekdays: false,
    })),
    proposals: [],
    outlook,
    partnership: STOCKHOLM_PARTNERSHIP,
    today: '2026-11-23',
  };
}

/** The markup without the whitespace between tags, so a table row reads as one string. */
const tight = (body: string) => body.replace(/\s+/g, ' ').replace(/> /g, '>').replace(/ </g, '<');

describe('the proposal page shows why', () => {
  it('in Swedish: who waits since when, no group now, and a weekly group of six after one more week', () => {
    const body = tight(groupLinkPage('tok', proposalResult('sv')).body);
    expect(body).toContain('<h2 id="why-heading">Underlag för förslaget</h2>');
    expect(body).toContain('<p>Planeraren föreslår ingen grupp just nu.</p>');
    expect(body).toContain(
      '<caption>Om vi väntar en vecka till, 10-12 år: 2026-11-23 jämfört med 2026-11-30</caption>',
    );
    expect(body).toContain(
      '<th scope="col">Mått</th><th scope="col">Nu</th><th scope="col">Om en vecka</th>',
    );
    expect(body).toContain('<th scope="row">Barn som väntar</th><td>5</td><td>6 (varav 1 väntade nya)</td>');
    expect(body).toContain('<th scope="row">Grupper</th><td>ingen grupp</td><td>veckogrupp med 6 barn</td>');
    expect(body).toContain(
      '<th scope="row">Storlek på gruppen för barnet som väntat längst</th><td>ingen grupp än</td><td>6</td>',
    );
    expect(body).toContain('<th scope="row">Längsta väntan</th><td>40 dagar</td><td>47 dagar</td>');
    expect(body).toContain(
      'Prognos: 1,2 nya barn per vecka i åldersgruppen, efter de senaste veckornas samtycken.',
    );
    // Until the partnership's own history covers eight weeks, the page says the rate is the configured one.
    const configured = tight(
      groupLinkPage('tok', { ...proposalResult('sv'), forecastFrom: 'settings' } as GroupLinkResult).body,
    );
    expect(configured).toContain('efter samarbetets väntade antal barn per år (historiken är ännu för kort)');
    // Who waits and how long, with the date the wait began (Stockholm).
    expect(body).toMatch(/40 dagar, sedan 2026-10-14/);
  });

  it('in English, with the proposed groups in their own table', () => {
    const r = proposalResult('en');
    if (r.kind !== 'proposal') throw new Error('a proposal');
    const plan = proposeGroups([...POOL, entry('R-6', 1, 'Bromma')], S, NOW);
    const [outlook] = placementOutlook({
      pool: [...POOL, entry('R-6', 1, 'Bromma')],
      now: NOW,
      ageBands: ['10-12'],
      plan: (pool, at) => proposeGroups(pool, S, at),
      expectedArrivalsPerWeek: () => 0,
    });
    const body = tight(
      groupLinkPage('tok', { ...r, outlook, proposals: plan.proposals, suggestion: plan.proposals[0] }).body,
    );
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('<h2 id="why-heading">What the proposal rests on</h2>');
    expect(body).toContain('<caption>Proposed groups, 10-12 years</caption>');
    expect(body).toContain('<th scope="row">1</th><td>Weekly group</td><td>6</td><td>Bromma, Farsta</td>');
    expect(body).toContain(
      '<caption>If we wait one more week, 10-12 years: 2026-11-23 against 2026-11-30</caption>',
    );
    expect(body).toContain(
      '<th scope="row">Group size for the child who has waited longest</th><td>6</td><td>6</td>',
    );
    expect(body).toContain('<th scope="row">Longest wait</th><td>40 days</td><td>47 days</td>');
    expect(body).toContain('Forecast: 0 new children a week');
    expect(body).toMatch(/40 days, since 2026-10-14/);
    expect(body).not.toMatch(/Underlag|väntar|dagar/);
  });
});
