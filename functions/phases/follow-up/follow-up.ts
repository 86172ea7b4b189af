/**
 * The follow-up phase, after the last meeting: the first questionnaire (for the child and the family
 * home), the summary to the social worker, the later follow-up, and each questionnaire's reminders and
 * end (the policy is the questionnaire module's). Every one of them is an instant counted from when the
 * first questionnaire went out (`followUpEvents`), and the workflow carries them out in order, one task
 * each. Each task is safe to run twice: the state machine retries tasks.
 */
import { type Referral } from '../../domain/referral';
import { monthsLater } from '../../domain/stockholm-dates';
import type { SocialWorkerNotificationId } from '../../web/emails/promises';
import { renderEmail } from '../../web/emails/render';
import { staffReferralUrl } from '../../web/emails/templates';
import { evaluationRequest, followUpSummary } from './emails';
import { type AuditEvent, type Dependencies } from '../../ports';
import {
  type EvaluationAnswer,
  type FollowUpRound,
  type FollowUpSettings,
  type Respondent,
} from '../../domain/follow-up';
import { audit, notificationMarker, notifyOnce } from '../../kernel/audit';
import {
  type Recipient,
  enterPhase,
  loadOpenReferralNotified,
  loadOpenReferralWithAnswers,
  partnershipOf,
  socialWorker,
} from '../../kernel/referrals';
import { mintLink, newLink } from '../../kernel/step-outbox';
import { withNotificationId } from '../../shared/notification-context';
import { questionnaireTiming } from './questionnaire';

export const DAY_MS = 86_400_000;
const RESPONDENTS: Respondent[] = ['carer', 'child'];

export type FollowUpEvent =
  /** The family home is reminded of a round's unanswered questionnaire (the `reminder`-th time). */
  | { kind: 'reminder'; round: FollowUpRound; reminder: number; at: number }
  /** A round is over: an unanswered questionnaire is recorded as not answered. */
  | { kind: 'round-ends'; round: FollowUpRound; at: number }
  /** The social worker's summary: attendance, and whether the first questionnaire was answered. */
  | { kind: 'summary'; at: number }
  /** The later follow-up's questionnaire goes out. */
  | { kind: 'later'; at: number };

/** When a round's questionnaire goes out and when the round ends (ms), the follow-up started at `startedAt`. */
export function roundWindow(
  f: FollowUpSettings,
  startedAt: number,
  round: FollowUpRound,
): { sentAt: number; endsAt: number } {
  const sentAt = round === 'first' ? startedAt : monthsLater(startedAt, f.laterFollowUpMonths);
  return { sentAt, endsAt: sentAt + questionnaireTiming(f, round).answerDays * DAY_MS };
}

/**
 * Everything that happens in the follow-up after the first questionnaire went out at `startedAt`, in
 * order; the last event ends the follow-up (the referral then closes as completed). Events at the same
 * instant keep the order written here: a round ends before the summary that reports it.
 */
export function followUpEvents(f: FollowUpSettings, startedAt: number): FollowUpEvent[] {
  const round = (r: FollowUpRound): FollowUpEvent[] => {
    const { sentAt, endsAt } = roundWindow(f, startedAt, r);
    const days = [...questionnaireTiming(f, r).reminderDays].sort((a, b) => a - b);
    return [
      ...days.map((d, i) => ({
        kind: 'reminder' as const,
        round: r,
        reminder: i + 1,
        at: sentAt + d * DAY_MS,
      })),
      { kind: 'round-ends', round: r, at: endsAt },
    ];
  };
  const events: FollowUpEvent[] = [
    ...round('first'),
    { kind: 'summary', at: startedAt + f.summaryAfterDays * DAY_MS },
    { kind: 'later', at: roundWindow(f, startedAt, 'later').sentAt },
    ...round('later'),
  ];
  return events.sort((a, b) => a.at - b.at);
}

/** The notification that sends a round's questionnaire first: its links are the round's. */
const roundKey = (round: FollowUpRound) => `evaluation-${round}`;

/**
 * Questionnaire links for the family home and the child, valid until the round ends. A reminder carries
 * the round's links again where they still work (open, not expired) or were answered through (used: the page
 * says so): they are the first email's links, derived again from its notification (KeyedLinkTokens), checked
 * in one read, and not written again; a link closed or expired (or never stored so) is replaced by a fresh
 * one. Each link stays single use.
 */
async function questionnaireLinks(
  deps: Dependencies,
  referral: Referral,
  round: FollowUpRound,
  endsAt: number,
  reminder: boolean,
): Promise<{ carer: string; child: string }> {
  const recipient: Recipient = {
    role: 'carer',
    ...referral.carer,
    language: referral.carer.language ?? 'sv',
  };
  const days = Math.max(0, endsAt - deps.clock.now().getTime()) / DAY_MS;
  const fields = (respondent: Respondent) => ({
    referralId: referral.referralId,
    step: 'evaluation' as const,
    recipient,
    taskToken: '',
    round,
    respondent,
  });
  // The first email made the carer's link first, then the child's: derived in that order, they are its own.
  const first = reminder
    ? await withNotificationId(`${referral.referralId}.${roundKey(round)}`, async () => [
        await mintLink(deps, fields('carer'), days),
        await mintLink(deps, fields('child'), days),
      ])
    : undefined;
  const stored = first ? await deps.store.getLinks(first.map((m) => m.link.linkHash)) : [];
  const now = deps.clock.now().toISOString();
  const link = async (respondent: Respondent, i: number) => {
    const earlier = stored[i];
    // Answered already (used): the same link, which says so, rather than a new one to answer again with.
    const works = earlier?.status === 'used' || (earlier?.status === 'open' && earlier.expiresAt > now);
    if (first && works) return first[i]!.url;
    return (await newLink(deps, fields(respondent), days)).url;
  };
  return { carer: await link('carer', 0), child: await link('child', 1) };
}

export interface FollowUpFacts {
  format?: 'weekly' | 'weekend';
  firstMeetingAt?: string;
  scheduled?: number;
  attended?: number;
}

/**
 * The group's facts as the summary's event recorded them when the summary went out (the group was over):
 * what erasure keeps without reading the group again. Undefined for an event without them (written by an
 * earlier version) or no event.
 */
export function summarisedFacts(event: AuditEvent | undefined): FollowUpFacts | undefined {
  const d = event?.detail;
  const attended = Number(d?.attended);
  if (!d || d.attended === undefined || !Number.isInteger(attended)) return undefined;
  const scheduled = Number(d.scheduled);
  return {
    format: d.format === 'weekly' || d.format === 'weekend' ? d.format : undefined,
    scheduled: d.scheduled !== undefined && Number.isInteger(scheduled) ? scheduled : undefined,
    attended,
  };
}

export async function followUpFacts(deps: Dependencies, referral: Referral): Promise<FollowUpFacts> {
  const group = referral.group
    ? await deps.store.getGroup(referral.partnershipId, referral.group.groupId)
    : undefined;
  const attendance = group ? await deps.store.listAttendance(group.groupId) : [];
  return {
    format: group?.format,
    firstMeetingAt: group?.meetings?.[0]?.startsAt,
    scheduled: group?.meetings?.length,
    attended: attendance.filter((a) => a.referralId === referral.referralId && a.present).length,
  };
}

/**
 * The questionnaire email (fresh links for the family home and the child), once per key, recorded by
 * `sent`: the event, keyed by the notification, is its record (one write, no separate sent-marker).
 */
function sendQuestionnaire(
  deps: Dependencies,
  referral: Referral,
  round: FollowUpRound,
  key: string,
  endsAt: number,
  sent: Omit<AuditEvent, 'at' | 'referralId'>,
  reminder = false,
  /** Its marker, as read with the referral (notifyOnce's `sent`); undefined: notifyOnce reads it. */
  alreadySent?: boolean,
) {
  return notifyOnce(
    deps,
    referral.referralId,
    key,
    async () =>
      deps.email.send(
        renderEmail(
          referral.carer.email,
          evaluationRequest(
            referral,
            referral.carer,
            await questionnaireLinks(deps, referral, round, endsAt, reminder),
            round,
            reminder,
          ),
          deps.config.publicBaseUrl,
        ),
      ),
    sent,
    { sent: alreadySent },
  );
}

/** The email an event of the follow-up sends (keyed for notifyOnce, with its event), if any. */
function notificationOf(event: FollowUpEvent): string | undefined {
  switch (event.kind) {
    case 'reminder':
      return `evaluation-${event.round}-reminder-${event.reminder}`;
    case 'later':
      return roundKey('later');
    case 'summary':
      return SUMMARY;
    case 'round-ends':
      return undefined;
  }
}

const SUMMARY = 'follow-up-summary' satisfies SocialWorkerNotificationId;
/** The summary's event: once, keyed by its notification (notifyOnce records the email with it). */
export const SUMMARY_EVENT_KEY = notificationMarker(SUMMARY, true).auditOnceKey!;

/** Who has not answered a round's questionnaire yet, by the answers read with the referral. */
function unanswered(answers: EvaluationAnswer[], round: FollowUpRound): Respondent[] {
  return RESPONDENTS.filter((r) => !answers.some((a) => a.round === round && a.respondent === r));
}

export type FollowUpTask =
  { referralId: string; op: 'start' } | { referralId: string; op: 'event'; index: number; startedAt: string };

/** What the workflow keeps between the follow-up's tasks: when it started, the next event, whether it is over. */
export interface FollowUpState {
  startedAt: string;
  nextAt: string;
  done: boolean;
}

/**
 * `start` (after the last meeting) sends the first questionnaire; `event` carries out the follow-up's
 * event number `index` (the workflow waits for its instant first) and says when the next one is due.
 */
export async function sendFollowUp(task: FollowUpTask, deps: Dependencies): Promise<FollowUpState> {
  const { referralId } = task;
  // An event (a reminder, a round's end, the summary) asks who answered: the answers come with the referral.
  // The email this task may send is known before the referral is read, by the deployment's partnership
  // (intake makes every referral under it; cached per container): its marker is read with the referral.
  const expected =
    task.op === 'event'
      ? followUpEvents(
          (await partnershipOf(deps, { partnershipId: deps.config.partnershipId })).followUp,
          Date.parse(task.startedAt),
        )[task.index]
      : undefined;
  const key = task.op === 'start' ? roundKey('first') : expected && notificationOf(expected);
  const markers = key ? [notificationMarker(key, true)] : [];
  const { referral, answers, notified } =
    task.op === 'start'
      ? { ...(await loadOpenReferralNotified(deps, referralId, markers)), answers: [] }
      : await loadOpenReferralWithAnswers(deps, referralId, markers);
  const settings = (await partnershipOf(deps, referral)).followUp;
  const iso = (ms: number) => new Date(ms).toISOString();
  if (task.op === 'start') {
    await enterPhase(deps, referral, 'follow-up');
    const startedAt = deps.clock.now().getTime();
    const { endsAt } = roundWindow(settings, startedAt, 'first');
    await sendQuestionnaire(
      deps,
      referral,
      'first',
      roundKey('first'),
      endsAt,
      {
        actor: { role: 'system' },
        action: 'follow-up-sent',
        phase: 'follow-up',
        detail: { round: 'first' },
      },
      false,
      notified[0],
    );
    return {
      startedAt: iso(startedAt),
      nextAt: iso(followUpEvents(settings, startedAt)[0]!.at),
      done: false,
    };
  }
  const startedAt = Date.parse(task.startedAt);
  const events = followUpEvents(settings, startedAt);
  const event = events[task.index];
  // The marker read is this event's only where the referral's partnership gave the same event.
  const alreadySent = event && key && notificationOf(event) === key ? notified[0] : undefined;
  if (event) await carryOut(deps, referral, answers, settings, startedAt, event, alreadySent);
  const next = events[task.index + 1];
  return { startedAt: task.startedAt, nextAt: iso(next?.at ?? deps.clock.now().getTime()), done: !next };
}

async function carryOut(
  deps: Dependencies,
  referral: Referral,
  answers: EvaluationAnswer[],
  settings: FollowUpSettings,
  startedAt: number,
  event: FollowUpEvent,
  /** Its email's marker as read with the referral; undefined: notifyOnce reads it. */
  alreadySent?: boolean,
): Promise<void> {
  const { referralId } = referral;
  switch (event.kind) {
    case 'reminder': {
      if (!unanswered(answers, event.round).length) return;
      const { endsAt } = roundWindow(settings, startedAt, event.round);
      await sendQuestionnaire(
        deps,
        referral,
        event.round,
        notificationOf(event)!,
        endsAt,
        {
          actor: { role: 'system' },
          action: 'follow-up-reminder-sent',
          phase: 'follow-up',
          detail: { round: event.round, reminder: String(event.reminder) },
        },
        true,
        alreadySent,
      );
      return;
    }
    case 'round-ends': {
      // Answering is voluntary: no answer is recorded as such, in words on the timeline, and nothing else.
      for (const respondent of unanswered(answers, event.round))
        await audit(
          deps,
          {
            referralId,
            actor: { role: 'system' },
            action: 'questionnaire-not-answered',
            phase: 'follow-up',
            detail: { round: event.round, respondent },
          },
          `questionnaire-not-answered-${event.round}-${respondent}`,
        );
      return;
    }
    case 'summary':
      return sendSummary(deps, referral, answers, alreadySent);
    case 'later': {
      const { endsAt } = roundWindow(settings, startedAt, 'later');
      await sendQuestionnaire(
        deps,
        referral,
        'later',
        notificationOf(event)!,
        endsAt,
        {
          actor: { role: 'system' },
          action: 'follow-up-sent',
          phase: 'follow-up',
          detail: { round: 'later' },
        },
        false,
        alreadySent,
      );
      return;
    }
  }
}

/** Tells the social worker: attendance, format, whether the questionnaires were answered — never free text. */
async function sendSummary(
  deps: Dependencies,
  referral: Referral,
  answers: EvaluationAnswer[],
  alreadySent?: boolean,
): Promise<void> {
  const { referralId } = referral;
  const answered = (respondent: Respondent) =>
    answers.some((a) => a.round === 'first' && a.respondent === respondent);
  const facts = {
    ...(await followUpFacts(deps, referral)),
    childAnswered: answered('child'),
    carerAnswered: answered('carer'),
  };
  // Comments in the answers are read on the staff page; the summary only says there are some.
  const comments = answers.some((a) => a.round === 'first' && a.freeText)
    ? {
        kind: 'questionnaire-comment' as const,
        url: staffReferralUrl(deps.config.publicBaseUrl, referralId),
      }
    : undefined;
  // The event, keyed by the notification, is the email's record: one write, no separate sent-marker.
  await notifyOnce(
    deps,
    referralId,
    SUMMARY,
    () =>
      deps.email.send(
        renderEmail(
          referral.socialWorker.email,
          followUpSummary(referral, socialWorker(referral), facts, comments),
          deps.config.publicBaseUrl,
        ),
      ),
    {
      actor: { role: 'system' },
      action: 'summary-sent',
      phase: 'follow-up',
      // The group's facts as the summary told them (codes and counts): the anonymised record's, at erasure.
      detail: {
        ...(facts.format ? { format: facts.format } : {}),
        ...(facts.scheduled !== undefined ? { scheduled: String(facts.scheduled) } : {}),
        ...(facts.attended !== undefined ? { attended: String(facts.attended) } : {}),
      },
    },
    { sent: alreadySent },
  );
}
