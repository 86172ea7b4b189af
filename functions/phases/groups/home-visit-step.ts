/**
 * The home visit: when a child is proposed for a group (placed by the coordinator's confirmation, or given
 * a freed seat), the group leader visits the family home before the child's seat is confirmed. She may
 * offer the family home two or three times (they pick one, or ask for others, through their own link:
 * home-visit-time.ts), and records that the visit took place (the seat is confirmed, the family gets the
 * schedule) or that the family declined it. Bris always meets the child at home before a group, so a
 * family that declines the visit declines the group: the referral closes with that outcome (the social
 * worker is told and may refer again) and the seat goes to the next child waiting, rather than the child
 * going back to a pool whose every group would ask for the same visit.
 *
 * Silence: the leader is reminded, then the coordinator is told and may record it from /staff/tasks; the
 * deadline is the policy's (stepTiming['home-visit']) or the group's first meeting, whichever is sooner, so
 * no child whose home Bris has not seen is in the group when it meets: the referral then closes as
 * no-home-visit and the seat is freed.
 */
import * as z from 'zod/mini';
import { message } from '../../domain/messages';
import { onFirstUse } from '../../shared/on-first-use';
import type { Referral } from '../../domain/referral';
import { stockholmMoment } from '../../domain/stockholm-dates';
import { issueStepLink, newLink } from '../../kernel/step-links';
import type { Dependencies, LinkRecord } from '../../ports';
import { renderEmail } from '../../web/emails/render';
import { WORKFLOW_ERRORS, type StepResolution } from '../../domain/steps';
import { notifyOnce } from '../../kernel/audit';
import type { AnswerFirst, HumanStep } from '../../kernel/human-step';
import { applyFirst } from '../../kernel/step-answers';
import { partnershipOf } from '../../kernel/referrals';
import { groupLeader } from './group-steps';
import { homeVisitOverdue, homeVisitRequest, homeVisitTimes } from './home-visit-emails';

const TIME_FORMAT = message({
  sv: 'Skriv tiden som ÅÅÅÅ-MM-DD TT:MM.',
  en: 'Write the time as YYYY-MM-DD HH:MM.',
});
/** A time of day in Stockholm, as a datetime-local field sends it: `2027-03-09T17:00`. */
const visitTimeField = () =>
  z.pipe(
    z.string({ error: TIME_FORMAT }).check(
      z.trim(),
      z.regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/, { error: TIME_FORMAT }),
      z.refine((v) => stockholmMoment(v.replace(' ', 'T')) !== undefined, {
        error: message({
          sv: 'Tiden finns inte i kalendern.',
          en: 'The time does not exist in the calendar.',
        }),
      }),
    ),
    z.transform((v) => new Date(stockholmMoment(v.replace(' ', 'T'))!).toISOString()),
  );
/** An empty optional field is no field. */
const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

// Built on first use: a schema built at import adds to every cold start of the functions that bundle it.
const homeVisitAnswer = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [
      z.object({ action: z.literal('visit-done') }),
      z.object({ action: z.literal('family-declined') }),
      // Two or three times for the family home to choose from (they get an email with a link).
      z.object({
        action: z.literal('offer-times'),
        time1: visitTimeField(),
        time2: visitTimeField(),
        time3: z.pipe(z.transform(blankIsAbsent), z.optional(visitTimeField())),
      }),
    ],
    {
      error: message({
        sv: 'Välj om besöket är gjort, om familjen tackade nej, eller erbjud tider.',
        en: 'Choose whether the visit took place or the family declined, or offer times.',
      }),
    },
  ),
);
export type HomeVisitAnswer = z.infer<ReturnType<typeof homeVisitAnswer>>;

/**
 * The leader offers the family home times: they are kept on the referral, the family home is mailed a link
 * to choose one (or ask for others), and the leader's wait goes on with a new link of hers, mailed with
 * where the visit stands, bound to the same waiting task.
 */
async function offerTimes(
  deps: Dependencies,
  referral: Referral,
  link: LinkRecord,
  times: string[],
  at: string,
): Promise<void> {
  // A new offer replaces the last one, and its answer: only the times are kept.
  const homeVisit = { offeredTimes: times };
  await deps.store.updateReferral(referral.referralId, { homeVisit, updatedAt: at });
  const offered = { ...referral, homeVisit };
  const carer = { role: 'carer' as const, ...referral.carer, language: referral.carer.language ?? 'sv' };
  // Once per offer (the leader's link that made it): a repeat after a crash sends nothing twice, and the
  // offer's audit event is the email's record (one write, and one event however often it runs).
  await notifyOnce(
    deps,
    referral.referralId,
    `home-visit-times-${link.linkHash.slice(0, 16)}`,
    async () => {
      const { url, link: carerLink } = await newLink(
        deps,
        { referralId: referral.referralId, step: 'home-visit-time', recipient: carer, taskToken: '' },
        deps.config.linkTtlDays,
      );
      await deps.email.send(
        renderEmail(carer.email, homeVisitTimes(offered, carer, times, url, carerLink.expiresAt)),
      );
    },
    {
      actor: { role: link.recipient.role, name: link.recipient.name },
      action: 'home-visit-times-offered',
      phase: 'group-assignment',
      detail: { times: String(times.length) },
    },
  );
  await askLeaderAnew(deps, offered, link.taskToken, `offer-${at}`);
}

/**
 * The leader's request again, with where the visit stands (times offered, a time chosen, other times asked
 * for): a new link of hers replaces the last, bound to the waiting task (an empty token: the next wait of
 * the step's clock binds it, as after a reminder).
 */
export async function askLeaderAnew(
  deps: Dependencies,
  referral: Referral,
  taskToken: string,
  entry: string,
): Promise<void> {
  const leader = await groupLeader(deps, referral);
  await issueStepLink(deps, referral, homeVisitStep, leader, taskToken, 'request', undefined, entry);
}

const DONE: StepResolution = { kind: 'success', output: { homeVisit: 'done' } };
const DECLINED: StepResolution = {
  kind: 'failure',
  error: WORKFLOW_ERRORS.homeVisitDeclined,
  cause: 'home-visit-declined',
};

type VisitOutcome = Extract<HomeVisitAnswer, { action: 'visit-done' | 'family-declined' }>;

/**
 * The visit done, or declined by the family, is recorded before the leader's link is used: once per wait
 * (the record is conditional on no outcome since the link was made), so a second or racing answer changes
 * nothing and a process dying before the link is used keeps it. Times offered are no answer of the wait's:
 * applied after the link's guard.
 */
const homeVisitFirst: AnswerFirst<HomeVisitAnswer> = {
  takes: (action) => action.action !== 'offer-times',
  record(deps, { referral, link }, action, at) {
    const outcome = action.action === 'visit-done' ? 'done' : 'declined';
    const recordedBy = { role: link.recipient.role, name: link.recipient.name };
    return deps.store.recordHomeVisit(
      referral.referralId,
      { ...referral.homeVisit, outcome, recordedAt: at, recordedBy },
      link.createdAt,
    );
  },
  recorded({ referral, link }) {
    const visit = referral.homeVisit;
    // Only an outcome recorded since this link was made can be its own.
    if (!visit?.outcome || !visit.recordedAt || visit.recordedAt < link.createdAt) return undefined;
    const answered: VisitOutcome['action'] = visit.outcome === 'done' ? 'visit-done' : 'family-declined';
    return {
      action: { action: answered },
      at: visit.recordedAt,
      by: visit.recordedBy ?? { role: link.recipient.role },
    };
  },
  event({ referral }, { action, at, by }) {
    // The seat's confirmation is recorded by the Sessions entry that follows (enterSessions), a task the
    // state machine retries: a crash between these writes cannot leave a confirmed seat unrecorded.
    return {
      event: {
        referralId: referral.referralId,
        at,
        actor: by,
        phase: 'group-assignment',
        action: action.action === 'visit-done' ? 'home-visit-done' : 'home-visit-declined',
        detail: { groupId: referral.group?.groupId ?? '' },
      },
      // One event per outcome recorded (its instant names it), however often a cut-off answer is finished.
      onceKey: `home-visit-answer-${at}`,
    };
  },
};

export const homeVisitStep: HumanStep<HomeVisitAnswer> = {
  name: 'home-visit',
  phase: 'group-assignment',
  recipient: groupLeader,
  email: { request: homeVisitRequest, overdue: homeVisitOverdue },
  answer: {
    schema: () => homeVisitAnswer(),
    check(deps, _step, action) {
      if (action.action !== 'offer-times') return undefined;
      const now = deps.clock.now().toISOString();
      const errors: Record<string, string> = {};
      const times = [action.time1, action.time2, action.time3];
      times.forEach((t, i) => {
        if (t && t <= now)
          errors[`time${i + 1}`] = message({
            sv: 'Tiden har redan varit. Välj en tid framåt.',
            en: 'The time has passed. Choose a time ahead.',
          });
        else if (t && times.slice(0, i).includes(t))
          errors[`time${i + 1}`] = message({
            sv: 'Den tiden är redan erbjuden. Välj en annan.',
            en: 'That time is offered already. Choose another.',
          });
      });
      return Object.keys(errors).length ? errors : undefined;
    },
    async apply(deps, step, action, at) {
      if (action.action !== 'offer-times') return applyFirst(deps, homeVisitFirst, step, action, at);
      const times = [action.time1, action.time2, action.time3].filter((t): t is string => !!t).sort();
      return offerTimes(deps, step.referral, step.link, times, at);
    },
    first: homeVisitFirst,
    // Times offered: the wait goes on, bound to the leader's new link (offerTimes).
    resolution: (action) =>
      action.action === 'offer-times'
        ? { kind: 'asked-anew' }
        : action.action === 'visit-done'
          ? DONE
          : DECLINED,
    // The workflow did not take the answer (its wait had ended): nothing is recorded as done.
    async takeBack(deps, { referral }) {
      await deps.store.updateReferral(referral.referralId, {
        homeVisit: {
          ...referral.homeVisit,
          outcome: undefined,
          recordedAt: undefined,
          recordedBy: undefined,
        },
        updatedAt: deps.clock.now().toISOString(),
      });
    },
  },
  async recordedAnswer(_deps, referral) {
    if (referral.homeVisit?.outcome === 'done') return DONE;
    if (referral.homeVisit?.outcome === 'declined') return DECLINED;
    return undefined;
  },
  timing: {
    step: 'home-visit',
    async escalateTo(deps, referral) {
      return [{ ...(await partnershipOf(deps, referral)).coordinator, role: 'coordinator' }];
    },
    escalationMayAnswer: 'coordinator',
    // The group's first meeting still to come when the child was proposed (a freed seat's: the next one).
    async endsBy(deps, referral, since) {
      const group =
        referral.group && (await deps.store.getGroup(referral.partnershipId, referral.group.groupId));
      const next = group?.meetings?.map((m) => Date.parse(m.startsAt)).find((t) => t > since);
      return next;
    },
  },
};
