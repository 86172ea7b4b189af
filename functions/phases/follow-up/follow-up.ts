/** The follow-up phase: questionnaires, the summary, the later follow-up and its reminder. Each task is safe to run twice: the state machine retries tasks. */
import { DateTime } from 'luxon';
import { type Referral } from '../../domain/referral';
import { type RecipientRole } from '../../domain/steps';
import type { SocialWorkerNotificationId } from '../../web/emails/promises';
import { renderEmail } from '../../web/emails/render';
import { staffReferralUrl } from '../../web/emails/templates';
import { evaluationRequest, followUpSummary } from './emails';
import { type Dependencies } from '../../ports';
import { type FollowUpRound, type Respondent } from '../../domain/follow-up';
import { audit, notifyOnce } from '../../kernel/audit';
import { type Recipient, enterPhase, loadOpenReferral, partnershipOf } from '../../kernel/referrals';
import { putLink } from '../../kernel/step-links';

export async function evaluationLinks(
  deps: Dependencies,
  referral: Referral,
  round: FollowUpRound,
): Promise<{ carer: string; child: string }> {
  const recipient: Recipient = { role: 'carer' as RecipientRole, ...referral.carer, language: 'sv' };
  const link = async (respondent: Respondent) =>
    (
      await putLink(deps, referral, 'evaluation', recipient, '', deps.config.linkTtlDays, undefined, {
        round,
        respondent,
      })
    ).url;
  return { carer: await link('carer'), child: await link('child') };
}

export async function followUpFacts(deps: Dependencies, referral: Referral) {
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

export const DAY_MS = 86_400_000;

/** The evaluation email (fresh questionnaire links for carer and child), once per key. */
export function sendEvaluation(
  deps: Dependencies,
  referral: Referral,
  round: FollowUpRound,
  key: string,
  reminder = false,
) {
  return notifyOnce(deps, referral.referralId, key, async () =>
    deps.email.send(
      renderEmail(
        referral.carer.email,
        evaluationRequest(
          referral,
          referral.carer,
          await evaluationLinks(deps, referral, round),
          round,
          reminder,
        ),
      ),
    ),
  );
}

/**
 * Follow-up, one operation per state: `start` sends the evaluation (child and carer) after the last
 * meeting; `summary` tells the social worker (attendance, format, whether answered — never free text);
 * `later` sends the later follow-up; `reminder` reminds once if it is unanswered.
 */
export async function sendFollowUp(
  { referralId, op = 'start' }: { referralId: string; op?: 'start' | 'summary' | 'later' | 'reminder' },
  deps: Dependencies,
): Promise<Record<string, string>> {
  const referral = await loadOpenReferral(deps, referralId);
  const settings = (await partnershipOf(deps, referral)).followUp;
  const now = deps.clock.now();
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  switch (op) {
    case 'start': {
      await enterPhase(deps, referral, 'follow-up');
      await sendEvaluation(deps, referral, 'first', 'evaluation-first');
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'follow-up-sent',
        phase: 'follow-up',
        detail: { round: 'first' },
      });
      return {
        summaryAt: at(settings.summaryAfterDays * DAY_MS),
        laterAt: DateTime.fromJSDate(now).plus({ months: settings.laterFollowUpMonths }).toUTC().toISO()!,
      };
    }
    case 'summary': {
      const answers = await deps.store.listEvaluations(referralId);
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
      await notifyOnce(deps, referralId, 'follow-up-summary' satisfies SocialWorkerNotificationId, () =>
        deps.email.send(
          renderEmail(
            referral.socialWorker.email,
            followUpSummary(referral, referral.socialWorker, facts, comments),
          ),
        ),
      );
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'summary-sent',
        phase: 'follow-up',
      });
      return {};
    }
    case 'later': {
      await sendEvaluation(deps, referral, 'later', 'evaluation-later');
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'follow-up-sent',
        phase: 'follow-up',
        detail: { round: 'later' },
      });
      return {
        reminderAt: at(settings.laterReminderDays * DAY_MS),
        closeAt: at(2 * settings.laterReminderDays * DAY_MS),
      };
    }
    case 'reminder': {
      const answers = await deps.store.listEvaluations(referralId);
      if (!answers.some((a) => a.round === 'later')) {
        await sendEvaluation(deps, referral, 'later', 'evaluation-later-reminder', true);
        await audit(deps, {
          referralId,
          actor: { role: 'system' },
          action: 'follow-up-reminder-sent',
          phase: 'follow-up',
        });
      }
      return {};
    }
  }
}
