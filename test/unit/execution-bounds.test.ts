/**
 * The declared bounds in workflows/execution-bounds.ts hold where the values are produced: the longest-path
 * test trusts them, so these tests check them against the code, at and inside the partnership limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newConsentRound, nextConsentEvent, secondsUntil } from '../../functions/domain/consent';
import {
  DEFAULT_CONSENT_SETTINGS,
  PARTNERSHIP_LIMITS as L,
  partnershipSchema,
} from '../../functions/domain/partnership';
import {
  MAX_GROUP_SPAN_DAYS,
  scheduleSpanDays,
  weekendSchedule,
  weeklySchedule,
} from '../../functions/domain/schedule';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../functions/domain/follow-up';
import { followUpEvents } from '../../functions/phases/follow-up/follow-up';
import { LOOP_LIMITS, REFERRAL_TIMING_BOUNDS } from '../../workflows/execution-bounds';
import { REFERRAL_STATES as R } from '../../workflows/referral-states';
import { readFileSync } from 'node:fs';

const DAY_MS = 86_400_000;

describe("one custodian's consent timer", () => {
  it('never waits longer than the declared bound, ends by the deadline, and within the round limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: L.consentDeadlineDays }),
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: L.consentReminders }),
        fc.integer({ min: 1, max: L.consentExtensionDays }),
        fc.boolean(),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2031, 0, 1) }),
        (deadlineDays, reminderDays, extensionDays, extension, start) => {
          const settings = {
            ...DEFAULT_CONSENT_SETTINGS,
            deadlineDays,
            extensionDays,
            reminderDays: reminderDays.sort((a, b) => a - b),
          };
          const round = newConsentRound(
            1,
            new Date(start),
            settings,
            extension ? extensionDays : deadlineDays,
          );
          let now = start;
          let remindersSent = 0;
          for (let rounds = 1; ; rounds++) {
            expect(rounds).toBeLessThanOrEqual(LOOP_LIMITS.consentRounds);
            const event = nextConsentEvent(round, remindersSent);
            const seconds = secondsUntil(event.at, new Date(now));
            expect(seconds).toBeLessThanOrEqual(REFERRAL_TIMING_BOUNDS[R.awaitConsent]!.seconds);
            now += seconds * 1000; // the timer fires (AWS's timers are on time)
            if (event.kind === 'deadline') break;
            remindersSent++;
          }
          // Every round counts from the same start: together they end at the deadline (plus rounding up).
          expect(now - start).toBeLessThanOrEqual(
            Math.max(L.consentDeadlineDays, L.consentExtensionDays) * DAY_MS +
              LOOP_LIMITS.consentRounds * 1000,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the follow-up's events", () => {
  const timing = (maxDays: number) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: maxDays }),
        fc.uniqueArray(fc.integer({ min: 1, max: L.questionnaireAnswerDays }), {
          maxLength: L.questionnaireReminders,
        }),
      )
      .map(([answerDays, days]) => ({ answerDays, reminderDays: days.filter((d) => d < answerDays) }));

  it('never wait past the declared bound, keep their order, and fit in the loop limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: L.summaryAfterDays }),
        fc.integer({ min: 0, max: L.laterFollowUpMonths }),
        timing(L.questionnaireAnswerDays),
        timing(L.questionnaireAnswerDays),
        fc.option(fc.integer({ min: 0, max: L.laterReminderDays }), { nil: undefined }),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2031, 0, 1) }),
        (summaryAfterDays, laterFollowUpMonths, first, later, laterReminderDays, start) => {
          const settings = {
            ...DEFAULT_FOLLOW_UP_SETTINGS,
            summaryAfterDays,
            laterFollowUpMonths,
            // The first round ends by the summary (the partnership schema refuses anything else).
            questionnaires: {
              first: {
                answerDays: Math.min(first.answerDays, summaryAfterDays),
                reminderDays: first.reminderDays.filter(
                  (d) => d < Math.min(first.answerDays, summaryAfterDays),
                ),
              },
              // The older setting stands in for the later round now and then.
              ...(laterReminderDays === undefined ? { later } : {}),
            },
            laterReminderDays,
          };
          const events = followUpEvents(settings, start);
          expect(events.length).toBeLessThanOrEqual(LOOP_LIMITS.followUpEvents);
          const bound = REFERRAL_TIMING_BOUNDS[R.untilFollowUpEvent]!.seconds * 1000;
          for (const [i, e] of events.entries()) {
            expect(e.at - start).toBeGreaterThanOrEqual(0);
            expect(e.at - start).toBeLessThanOrEqual(bound);
            if (i) expect(e.at).toBeGreaterThanOrEqual(events[i - 1]!.at);
          }
          // Each happens once; a round ends before the summary that reports it.
          const kinds = events.map((e) => `${e.kind}${'round' in e ? `-${e.round}` : ''}`);
          for (const once of ['round-ends-first', 'summary', 'later', 'round-ends-later'])
            expect(
              kinds.filter((k) => k === once),
              once,
            ).toHaveLength(1);
          expect(kinds.indexOf('round-ends-first')).toBeLessThan(kinds.indexOf('summary'));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a group schedule', () => {
  it('at the partnership limits, starting today, ends within the span a group execution allows', () => {
    const settings = {
      weekly: { meetings: L.weeklyMeetings, hours: 2 },
      weekend: {
        fullDays: L.weekendFullDays,
        dayStart: '10:00',
        dayEnd: '16:00',
        followUpWeeksAfter: L.weekendFollowUpWeeks,
      },
    };
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2031, 0, 1) }), (start) => {
        const from = new Date(start);
        const day = from.toISOString().slice(0, 10);
        for (const meetings of [
          weeklySchedule(day, { weekday: 3, start: '17:00' }, settings),
          weekendSchedule(day, settings),
        ])
          expect(scheduleSpanDays(meetings, from)).toBeLessThanOrEqual(MAX_GROUP_SPAN_DAYS);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the partnership schema keeps the settings that decide waits within the proven limits', () => {
  const file = JSON.parse(
    readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8'),
  );
  it.each([
    [['consent', 'deadlineDays'], L.consentDeadlineDays],
    [['consent', 'extensionDays'], L.consentExtensionDays],
    [['groups', 'grouping', 'maxPoolDays'], L.maxPoolDays],
    [['groups', 'schedule', 'weekly', 'meetings'], L.weeklyMeetings],
    [['followUp', 'laterFollowUpMonths'], L.laterFollowUpMonths],
    [['followUp', 'laterReminderDays'], L.laterReminderDays],
    [['followUp', 'questionnaires', 'later', 'answerDays'], L.questionnaireAnswerDays],
  ] as [string[], number][])('%s: at most %i, and a clear message past it', (path, limit) => {
    const set = (value: number) => {
      const copy = structuredClone(file);
      let at = copy;
      for (const key of path.slice(0, -1)) at = at[key];
      at[path.at(-1)!] = value;
      return partnershipSchema.safeParse(copy);
    };
    expect(set(limit).success).toBe(true);
    const past = set(limit + 1);
    expect(past.success).toBe(false);
    expect(JSON.stringify(past.error?.issues.map((i) => i.path))).toContain(JSON.stringify(path));
  });
});
