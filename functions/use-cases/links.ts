/**
 * Capability links. GET shows what the link is for and never acts; POST performs the one step the
 * link is bound to, once, before it expires, and resumes the workflow. Every redemption — refused
 * ones included — is an audit event.
 */
import { hashLinkToken, LINK_TOKEN_PATTERN } from '../adapters/link-tokens';
import type { Group } from '../domain/partnership';
import type { Referral } from '../domain/referral';
import { fieldErrors } from '../domain/referral-form';
import { resolutionOf, STEP_ACTIONS, STEP_PHASE, type AnyStepAction } from '../domain/steps';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../ports';
import { audit } from './audit';
import { issueStepLink } from './workflow-tasks';

export type LinkView =
  | { kind: 'unknown' }
  | { kind: 'expired'; link: LinkRecord }
  | { kind: 'used'; link: LinkRecord }
  | { kind: 'superseded'; link: LinkRecord }
  | { kind: 'closed'; link: LinkRecord }
  | { kind: 'open'; link: LinkRecord; referral: Referral; groups: Group[] };

export type RedeemResult =
  | LinkView
  | { kind: 'invalid'; link: LinkRecord; referral: Referral; groups: Group[]; errors: Record<string, string> }
  | { kind: 'group-full'; link: LinkRecord; referral: Referral; groups: Group[] }
  | { kind: 'done'; link: LinkRecord; action: AnyStepAction }
  | { kind: 'no-longer-open'; link: LinkRecord };

async function find(deps: Dependencies, token: string): Promise<LinkRecord | undefined> {
  if (!LINK_TOKEN_PATTERN.test(token)) return undefined;
  return deps.store.getLink(hashLinkToken(token));
}

async function classify(deps: Dependencies, link: LinkRecord | undefined): Promise<LinkView> {
  if (!link) return { kind: 'unknown' };
  if (link.status === 'used') return { kind: 'used', link };
  if (link.status === 'superseded') return { kind: 'superseded', link };
  if (link.status === 'closed') return { kind: 'closed', link };
  if (link.expiresAt <= deps.clock.now().toISOString()) return { kind: 'expired', link };
  const referral = await deps.store.getReferral(link.referralId);
  if (!referral || referral.status === 'closed' || referral.phase !== STEP_PHASE[link.step])
    return { kind: 'closed', link };
  const groups =
    link.step === 'group-assignment'
      ? (await deps.store.listGroups(referral.partnershipId)).filter((g) => g.status === 'forming')
      : [];
  return { kind: 'open', link, referral, groups };
}

async function auditRedemption(
  deps: Dependencies,
  token: string,
  link: LinkRecord | undefined,
  action: string,
  outcome: string,
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
    phase: STEP_PHASE[link.step],
    detail: { step: link.step, outcome },
  });
}

export async function viewLink(token: string, deps: Dependencies): Promise<LinkView> {
  const link = await find(deps, token);
  const view = await classify(deps, link);
  if (view.kind !== 'open') await auditRedemption(deps, token, link, 'link-opened', `refused-${view.kind}`);
  return view;
}

export async function redeemLink(
  token: string,
  body: Record<string, string>,
  deps: Dependencies,
): Promise<RedeemResult> {
  const link = await find(deps, token);
  const view = await classify(deps, link);
  if (view.kind !== 'open') {
    await auditRedemption(deps, token, link, 'link-redeemed', `refused-${view.kind}`);
    return view;
  }
  const parsed = STEP_ACTIONS[view.link.step].safeParse(body);
  if (!parsed.success) return { ...view, kind: 'invalid', errors: fieldErrors(parsed.error) };
  const action = parsed.data as AnyStepAction;
  const { store, clock } = deps;
  const at = clock.now().toISOString();

  // The single-use guard: one conditional write; a second POST finds the link used and changes nothing.
  const use = await store.useLink(view.link.linkHash, at, action.action);
  if (use !== 'ok') {
    const again = await classify(deps, await store.getLink(view.link.linkHash));
    await auditRedemption(deps, token, view.link, 'link-redeemed', `refused-${again.kind}`);
    return again;
  }

  const referralId = view.referral.referralId;
  try {
    switch (action.action) {
      case 'approve':
      case 'decline':
        await store.updateReferral(referralId, {
          screening: {
            decision: action.action === 'approve' ? 'approved' : 'declined',
            reason: action.action === 'decline' ? action.reason : undefined,
            at,
          },
          updatedAt: at,
        });
        break;
      case 'consent':
      case 'refuse':
        await store.updateReferral(referralId, {
          consent: { given: action.action === 'consent', at },
          updatedAt: at,
        });
        break;
      case 'pick-group': {
        const group = view.groups.find((g) => g.groupId === action.groupId);
        const joined = group
          ? await store.joinGroup(view.referral.partnershipId, action.groupId, referralId, at)
          : 'unknown-group';
        if (joined === 'full' || joined === 'unknown-group') {
          await store.reopenLink(view.link.linkHash);
          await auditRedemption(deps, token, view.link, 'link-redeemed', `refused-group-${joined}`);
          const fresh = await classify(deps, await store.getLink(view.link.linkHash));
          return fresh.kind === 'open' ? { ...fresh, kind: 'group-full' } : fresh;
        }
        await store.updateReferral(referralId, {
          group: { groupId: group!.groupId, name: group!.name },
          updatedAt: at,
        });
        break;
      }
      case 'complete':
        break;
    }
    const resolution = resolutionOf(action);
    if (resolution.kind === 'success')
      await deps.workflow.sendTaskSuccess(view.link.taskToken, resolution.output);
    else await deps.workflow.sendTaskFailure(view.link.taskToken, resolution.error, resolution.cause);
  } catch (error) {
    if (error instanceof StepNoLongerOpenError) {
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

export type RenewResult = { kind: 'renewed'; link: LinkRecord } | LinkView;

/** An expired link can ask for a fresh one, sent to the same recipient, for the same still-open step. */
export async function renewLink(token: string, deps: Dependencies): Promise<RenewResult> {
  const link = await find(deps, token);
  if (!link || link.status !== 'open' || link.expiresAt > deps.clock.now().toISOString()) {
    const view = await classify(deps, link);
    await auditRedemption(deps, token, link, 'link-renewal', `refused-${view.kind}`);
    return view;
  }
  const referral = await deps.store.getReferral(link.referralId);
  const step = await deps.store.getStep(link.referralId, link.step);
  if (
    !referral ||
    referral.status === 'closed' ||
    referral.phase !== STEP_PHASE[link.step] ||
    step?.linkHash !== link.linkHash
  ) {
    await deps.store.setLinkStatus(link.linkHash, 'closed');
    await auditRedemption(deps, token, link, 'link-renewal', 'refused-closed');
    return { kind: 'closed', link };
  }
  await deps.store.setLinkStatus(link.linkHash, 'superseded');
  const fresh = await issueStepLink(deps, referral, link.step, link.recipient, link.taskToken, true);
  await auditRedemption(deps, token, link, 'link-renewal', 'renewed');
  return { kind: 'renewed', link: fresh };
}
