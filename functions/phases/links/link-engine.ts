/**
 * Capability links. GET shows what the link is for and never acts; POST performs the one thing the
 * link is bound to, once, before it expires, and resumes the workflow. Every redemption — refused
 * ones included — is an audit event.
 */
import { hashLinkToken, LINK_TOKEN_PATTERN } from '../../adapters/link-tokens';
import type { AuditAction } from '../../domain/audit-actions';
import { questionnaireSchema } from '../../domain/follow-up';
import type { Referral } from '../../domain/referral';
import { fieldErrors } from '../../domain/referral-form';
import {
  actionSchema,
  STEP_PHASE,
  withdrawalAnswer,
  WORKFLOW_ERRORS,
  type AnyStepAction,
} from '../../domain/steps';
import { stepOf, type OpenLinkView, type StepRegistry } from '../../kernel/human-step';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../../ports';
import { audit } from '../../kernel/audit';
import { redeemGroupLink } from '../groups/group-links';
import { isGroupLink, viewGroupLink, type GroupLinkResult } from '../groups/groups';
import { closeReferral } from '../closure/closure';
import { issueStepLink } from '../../kernel/step-links';
import { partnershipOf } from '../../kernel/referrals';

export type LinkView =
  | { kind: 'unknown' }
  | { kind: 'expired'; link: LinkRecord }
  | { kind: 'used'; link: LinkRecord }
  | { kind: 'superseded'; link: LinkRecord }
  | { kind: 'closed'; link: LinkRecord }
  | OpenLinkView
  | { kind: 'group'; result: GroupLinkResult };

type OpenView = Extract<LinkView, { kind: 'open' }>;

export type RedeemResult =
  | LinkView
  | (Omit<OpenView, 'kind'> & { kind: 'invalid'; errors: Record<string, string> })
  | { kind: 'done'; link: LinkRecord; action: AnyStepAction }
  | { kind: 'try-again'; link: LinkRecord }
  | { kind: 'no-longer-open'; link: LinkRecord };

async function find(deps: Dependencies, token: string): Promise<LinkRecord | undefined> {
  if (!LINK_TOKEN_PATTERN.test(token)) return undefined;
  return deps.store.getLink(hashLinkToken(token));
}

type ReferralStep = Exclude<LinkRecord['step'], 'withdrawal' | 'group-proposal' | 'evaluation' | 'sign-in'>;

function stillOpenFor(link: LinkRecord, referral: Referral | undefined): referral is Referral {
  if (!referral || referral.status === 'closed' || referral.withdrawal) return false;
  return (
    link.step === 'withdrawal' ||
    link.step === 'evaluation' ||
    referral.phase === STEP_PHASE[link.step as ReferralStep]
  );
}

async function classify(deps: Dependencies, link: LinkRecord | undefined): Promise<LinkView> {
  if (!link) return { kind: 'unknown' };
  if (link.status === 'used') return { kind: 'used', link };
  if (link.status === 'superseded') return { kind: 'superseded', link };
  if (link.status === 'closed') return { kind: 'closed', link };
  const referral = await deps.store.getReferral(link.referralId);
  if (!stillOpenFor(link, referral)) return { kind: 'closed', link };
  if (link.expiresAt <= deps.clock.now().toISOString()) return { kind: 'expired', link };
  const partnership = await partnershipOf(deps, referral);
  const questionnaire =
    link.step === 'evaluation' ? partnership.followUp[link.respondent ?? 'carer'] : undefined;
  return { kind: 'open', link, referral, retentionMonths: partnership.retentionMonths, questionnaire };
}

async function auditRedemption(
  deps: Dependencies,
  token: string,
  link: LinkRecord | undefined,
  action: AuditAction,
  outcome: string,
  extra: Record<string, string> = {},
) {
  const at = deps.clock.now().toISOString();
  if (!link) {
    await deps.store.appendLinkAudit({
      at,
      actor: { role: 'unknown' },
      action,
      detail: { outcome },
      // A short prefix of the hash tells support which link was tried without storing a usable token.
      linkHashPrefix: LINK_TOKEN_PATTERN.test(token) ? hashLinkToken(token).slice(0, 12) : 'malformed',
    });
    return;
  }
  await audit(deps, {
    referralId: link.referralId,
    at,
    actor: { role: link.recipient.role, name: link.recipient.name },
    action,
    phase:
      link.step === 'withdrawal' || link.step === 'evaluation'
        ? undefined
        : STEP_PHASE[link.step as ReferralStep],
    detail: {
      step: link.step,
      outcome,
      ...(link.custodian ? { custodian: String(link.custodian) } : {}),
      ...extra,
    },
  });
}

export async function viewLink(token: string, deps: Dependencies): Promise<LinkView> {
  const link = await find(deps, token);
  if (link && isGroupLink(link)) return { kind: 'group', result: await viewGroupLink(link, deps) };
  const view = await classify(deps, link);
  if (view.kind !== 'open') await auditRedemption(deps, token, link, 'link-opened', `refused-${view.kind}`);
  return view;
}

/** Withdrawal: record who and why, then fail whichever step waits, so the workflow ends in Close as withdrawn. */
async function withdraw(deps: Dependencies, view: OpenView, reason: string): Promise<void> {
  const { referral, link } = view;
  const at = deps.clock.now().toISOString();
  const by = { role: link.recipient.role, name: link.recipient.name };
  if (!(await deps.store.markWithdrawn(referral.referralId, { at, by, reason }))) return;
  await audit(deps, {
    referralId: referral.referralId,
    at,
    actor: by,
    action: 'referral-withdrawn',
    phase: referral.phase,
    detail: { reason },
  });
  if (referral.status === 'needs-attention') {
    // No execution is running to close it: close it here.
    await closeReferral({ referralId: referral.referralId, outcome: 'withdrawn' }, deps);
    return;
  }
  for (const step of await deps.store.listSteps(referral.referralId)) {
    const waiting = await deps.store.getLink(step.linkHash);
    if (waiting?.status !== 'open' || !waiting.taskToken) continue;
    try {
      await deps.workflow.sendTaskFailure(waiting.taskToken, WORKFLOW_ERRORS.withdrawn, 'withdrawn');
    } catch (error) {
      if (!(error instanceof StepNoLongerOpenError)) throw error;
      // Not waiting there: whichever task runs next sees the withdrawal and ends the referral.
    }
  }
}

export async function redeemLink(
  token: string,
  body: Record<string, string>,
  deps: Dependencies,
  steps: StepRegistry,
): Promise<RedeemResult> {
  const link = await find(deps, token);
  if (link && isGroupLink(link)) return { kind: 'group', result: await redeemGroupLink(link, body, deps) };
  const view = await classify(deps, link);
  if (view.kind !== 'open') {
    await auditRedemption(deps, token, link, 'link-redeemed', `refused-${view.kind}`);
    return view;
  }
  if (view.link.step === 'evaluation') {
    const parsed = actionSchema('evaluation').safeParse(body);
    if (!parsed.success) return { ...view, kind: 'invalid', errors: fieldErrors(parsed.error) };
    return answerEvaluation(deps, token, view, body);
  }
  if (view.link.step === 'withdrawal') {
    const parsed = withdrawalAnswer.safeParse(body);
    if (!parsed.success) return { ...view, kind: 'invalid', errors: fieldErrors(parsed.error) };
    if (!(await usedNow(deps, token, view, parsed.data.action))) return reclassified(deps, token, view);
    await withdraw(deps, view, parsed.data.reason);
    await auditRedemption(deps, token, view.link, 'link-redeemed', parsed.data.action);
    return { kind: 'done', link: view.link, action: parsed.data };
  }
  const answer = stepOf(steps, view.link.step)?.answer;
  // A silent wait's link (the pool, a running group) is never mailed and takes no answer.
  if (!answer) return { kind: 'closed', link: view.link };
  const parsed = answer.schema(view.link.recipient.role).safeParse(body);
  if (!parsed.success) return { ...view, kind: 'invalid', errors: fieldErrors(parsed.error) };
  const action = parsed.data;
  const errors = answer.check?.(deps, view, action);
  if (errors) return { ...view, kind: 'invalid', errors };
  if (!(await usedNow(deps, token, view, action.action))) return reclassified(deps, token, view);
  const { store } = deps;
  try {
    await answer.apply(deps, view, action, deps.clock.now().toISOString());
    const resolution = answer.resolution(action);
    if (resolution.kind === 'success')
      await deps.workflow.sendTaskSuccess(view.link.taskToken, resolution.output);
    else await deps.workflow.sendTaskFailure(view.link.taskToken, resolution.error, resolution.cause);
  } catch (error) {
    if (error instanceof StepNoLongerOpenError) {
      await answer.takeBack?.(deps, view);
      const step = await store.getStep(
        view.link.referralId,
        view.link.step as ReferralStep,
        view.link.custodian,
      );
      const current = await store.getReferral(view.link.referralId);
      if (step?.linkHash === view.link.linkHash && stillOpenFor(view.link, current)) {
        // The workflow is between two waits of this very step (a reminder timer): the answer will fit in a moment.
        await store.reopenLink(view.link.linkHash);
        await auditRedemption(deps, token, view.link, 'link-redeemed', 'refused-step-between-waits');
        return { kind: 'try-again', link: view.link };
      }
      await store.setLinkStatus(view.link.linkHash, 'closed');
      await auditRedemption(deps, token, view.link, 'link-redeemed', 'refused-step-no-longer-open');
      return { kind: 'no-longer-open', link: view.link };
    }
    // Nothing was resumed: give the link back so the person can try again.
    await store.reopenLink(view.link.linkHash);
    throw error;
  }
  await auditRedemption(deps, token, view.link, 'link-redeemed', action.action);
  return { kind: 'done', link: view.link, action };
}

/** The single-use guard: one conditional write; a second POST finds the link used and changes nothing. */
async function usedNow(deps: Dependencies, token: string, view: OpenView, action: string): Promise<boolean> {
  return (await deps.store.useLink(view.link.linkHash, deps.clock.now().toISOString(), action)) === 'ok';
}

/** What a link that another answer got to first is now, audited as a refused redemption. */
async function reclassified(deps: Dependencies, token: string, view: OpenView): Promise<LinkView> {
  const again = await classify(deps, await deps.store.getLink(view.link.linkHash));
  await auditRedemption(deps, token, view.link, 'link-redeemed', `refused-${again.kind}`);
  return again;
}

/** The short questionnaire: items from the partnership's configuration; the answer is kept, never mailed. */
async function answerEvaluation(
  deps: Dependencies,
  token: string,
  view: OpenView,
  body: Record<string, string>,
): Promise<RedeemResult> {
  const { link, referral } = view;
  const partnership = await partnershipOf(deps, referral);
  const questionnaire = partnership.followUp[link.respondent ?? 'carer'];
  const parsed = questionnaireSchema(questionnaire).safeParse(body);
  if (!parsed.success) return { ...view, kind: 'invalid', errors: fieldErrors(parsed.error) };
  const at = deps.clock.now().toISOString();
  const scores: Record<string, number> = {};
  for (const item of questionnaire.items) scores[item.id] = parsed.data[`item-${item.id}`] as number;
  const freeText = (parsed.data.freeText as string | undefined) || undefined;
  // The answer first (once per round and respondent), the link used after: a crash in between keeps the
  // answer, and the link, still open, then says it has been used. The other way round the answer was lost.
  const first = await deps.store.putEvaluation(referral.referralId, {
    round: link.round ?? 'first',
    respondent: link.respondent ?? 'carer',
    scores,
    freeText,
    at,
  });
  await deps.store.useLink(link.linkHash, at, 'answer');
  if (!first) {
    const again = await classify(deps, await deps.store.getLink(link.linkHash));
    await auditRedemption(deps, token, link, 'link-redeemed', `refused-${again.kind}`);
    return again;
  }
  await auditRedemption(deps, token, link, 'link-redeemed', 'answer', { round: link.round ?? 'first' });
  return { kind: 'done', link, action: { action: 'answer' } };
}

export type RenewResult = { kind: 'renewed'; link: LinkRecord } | LinkView;

/** An expired link can ask for a fresh one, sent to the same recipient, for the same still-open step. */
export async function renewLink(
  token: string,
  deps: Dependencies,
  steps: StepRegistry,
): Promise<RenewResult> {
  const link = await find(deps, token);
  const view = await classify(deps, link);
  if (view.kind !== 'expired' || view.link.step === 'withdrawal' || view.link.step === 'group-proposal') {
    await auditRedemption(deps, token, link, 'link-renewal', `refused-${view.kind}`);
    return view;
  }
  const expired = view.link;
  // Only a step that mails its link can mail a new one (silent waits and other link purposes cannot).
  const module = stepOf(steps, expired.step);
  if (!module?.email) {
    await auditRedemption(deps, token, link, 'link-renewal', 'refused-closed');
    return { kind: 'closed', link: expired };
  }
  const step = await deps.store.getStep(expired.referralId, expired.step as ReferralStep, expired.custodian);
  if (step?.linkHash !== expired.linkHash) {
    await deps.store.setLinkStatus(expired.linkHash, 'closed');
    await auditRedemption(deps, token, expired, 'link-renewal', 'refused-closed');
    return { kind: 'closed', link: expired };
  }
  const referral = (await deps.store.getReferral(expired.referralId))!;
  await deps.store.setLinkStatus(expired.linkHash, 'superseded');
  const fresh = await issueStepLink(
    deps,
    referral,
    module,
    expired.recipient,
    expired.taskToken,
    'renewed',
    expired.custodian,
  );
  await auditRedemption(deps, token, expired, 'link-renewal', 'renewed');
  return { kind: 'renewed', link: fresh };
}
