/**
 * Capability links. GET shows what the link is for and never acts; POST performs the one thing the
 * link is bound to, once, before it expires. Every redemption — refused ones included — is an audit
 * event. What a link is for (its schema, page, effect, whether it may be renewed) is declared by its
 * purpose's module (kernel/link-module.ts, registry functions/phases/link-modules.ts): the engine
 * dispatches on the module, never on the purpose's name.
 */
import type { Language, Referral } from '../../domain/referral';
import { hashLinkToken, LINK_TOKEN_PATTERN } from '../../adapters/link-tokens';
import type { AuditAction } from '../../domain/audit-actions';
import { fieldErrors } from '../../domain/referral-form';
import type { AnyStepAction } from '../../domain/steps';
import type { OpenLinkView, StepPage } from '../../kernel/human-step';
import {
  linkModuleOf,
  stillOpenOn,
  type AnswerOutcome,
  type LinkRegistry,
  type OwnLink,
} from '../../kernel/link-module';
import type { Dependencies, LinkRecord, LinkRedemption, LinkUseResult } from '../../ports';
import { audit } from '../../kernel/audit';
import { addressHashOf, overSendLimit } from '../../kernel/send-limit';
import { LINK_RENEWAL_LIMITS } from '../../domain/send-limits';
import { METRICS } from '../../shared/metric-names';
import { partnershipOf } from '../../kernel/referrals';
import { subjectKeys } from '../../shared/invocation-log';
import { appendLogKeys } from '../../shared/log-keys';

export type LinkView =
  | { kind: 'unknown' }
  /** `renewable`: its module may mail a fresh link for the same thing. */
  | {
      kind: 'expired';
      link: LinkRecord;
      renewable: boolean;
      /** As read with the link (still open): a renewal makes its fresh link from it. */
      referral?: Referral;
    }
  | { kind: 'used'; link: LinkRecord }
  | { kind: 'superseded'; link: LinkRecord }
  | { kind: 'closed'; link: LinkRecord }
  /** `page`: its module's page (none for a silent wait, or a link answered elsewhere). */
  | (OpenLinkView & { page?: StepPage })
  /** A link its phase views and answers whole (the pool, attendance): its module renders the result. */
  | {
      kind: 'own';
      link: LinkRecord;
      /** `lang`: the page's language by the rule in web/language.ts (the reader's choice first). */
      render: (token: string, lang: Language) => { status: number; body: string };
    };

type OpenView = Extract<LinkView, { kind: 'open' }>;

export type RedeemResult =
  | LinkView
  | (Omit<OpenView, 'kind'> & { kind: 'invalid'; errors: Record<string, string> })
  | { kind: 'done'; link: LinkRecord; action: AnyStepAction }
  | { kind: 'try-again'; link: LinkRecord }
  | { kind: 'no-longer-open'; link: LinkRecord };

/**
 * What a link's form names in its address (web/link-form-action.ts): the referral (or group) the link is for
 * and its purpose. Only hints: each is checked against the link, and a wrong one costs a wasted read.
 */
export interface LinkFormHint {
  for?: string;
  purpose?: string;
}

/** A referral or group id as a form names it: anything else is not read. */
const SUBJECT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A link as found, with what was read beside it where the request named the link rightly. */
interface Found {
  link?: LinkRecord;
  /** Present when read with the link: the link's own referral, or undefined for one not stored. */
  read?: { referral: Referral | undefined };
  /** Its own module's reads for the answer (OwnLink.prefetch), when the form named this link's purpose. */
  prefetched?: { value: unknown };
}

/**
 * The link, and beside it what its address says it acts on (`hint`): for a link its phase answers whole,
 * its module's reads for an answer (OwnLink.prefetch, not for a view: `body` absent); otherwise the
 * referral, in the same request. A page opened from its email, and a POST from it or from the link's page,
 * so need no second round trip before they show or act.
 */
async function find(
  deps: Dependencies,
  token: string,
  modules: LinkRegistry,
  hint: LinkFormHint = {},
  body?: Record<string, string>,
): Promise<Found> {
  if (!LINK_TOKEN_PATTERN.test(token)) return {};
  const hash = hashLinkToken(token);
  const hinted = hint.purpose ? linkModuleOf(modules, hint.purpose) : undefined;
  // A link its phase views whole reads what it needs itself: its referral (a group's id) is not read here.
  const forId = hint.for && SUBJECT_PATTERN.test(hint.for) && !(hinted?.own && !body) ? hint.for : undefined;
  const prefetch = forId && body && hinted?.own?.prefetch;
  let found: Found;
  if (forId && prefetch) {
    const [link, value] = await Promise.all([
      deps.store.getLink(hash),
      // A hint that fails to read is no hint: the module reads as usual.
      prefetch(deps, forId, body).catch(() => undefined),
    ]);
    // Its reads, when the link is the one the form named: for that referral, and of the prefetching module.
    const own = link && linkModuleOf(modules, link.step)?.own;
    const named = link?.referralId === forId && own?.prefetch === prefetch && value !== undefined;
    found = { link, prefetched: named ? { value } : undefined };
  } else if (forId) {
    const { link, referral } = await deps.store.getLinkWithReferral(hash, forId);
    found = { link, read: link?.referralId === forId ? { referral } : undefined };
  } else found = { link: await deps.store.getLink(hash) };
  // From here on the request's log lines carry the link's referral (or group), never the token.
  if (found.link) appendLogKeys(subjectKeys(found.link.referralId));
  return found;
}

function ownView(link: LinkRecord, own: OwnLink, result: unknown): LinkView {
  return { kind: 'own', link, render: (token, lang) => own.page(token, result, lang) };
}

async function classify(
  deps: Dependencies,
  modules: LinkRegistry,
  link: LinkRecord | undefined,
  read?: Found['read'],
): Promise<LinkView> {
  if (!link) return { kind: 'unknown' };
  if (link.status === 'used') return { kind: 'used', link };
  if (link.status === 'superseded') return { kind: 'superseded', link };
  if (link.status === 'closed') return { kind: 'closed', link };
  const module = linkModuleOf(modules, link.step);
  const referral = read ? read.referral : await deps.store.getReferral(link.referralId);
  if (!module || !stillOpenOn(module, referral)) return { kind: 'closed', link };
  if (link.expiresAt <= deps.clock.now().toISOString())
    return { kind: 'expired', link, renewable: !!module.renew, referral };
  const partnership = await partnershipOf(deps, referral);
  return {
    kind: 'open',
    link,
    referral,
    retentionMonths: partnership.retentionMonths,
    partnership,
    page: module.page,
  };
}

/** A redemption's event as its link's single-use update records it (LinkRecord.redemption). */
function redemptionOf(
  link: LinkRecord,
  modules: LinkRegistry,
  outcome: string,
  at: string,
  extra: Record<string, string> = {},
): LinkRedemption {
  return {
    at,
    actor: { role: link.recipient.role, name: link.recipient.name },
    phase: linkModuleOf(modules, link.step)?.phase,
    detail: {
      step: link.step,
      outcome,
      ...(link.custodian ? { custodian: String(link.custodian) } : {}),
      ...(link.round ? { round: link.round } : {}),
      ...(link.respondent ? { respondent: link.respondent } : {}),
      ...extra,
    },
  };
}

async function auditRedemption(
  deps: Dependencies,
  token: string,
  link: LinkRecord | undefined,
  action: AuditAction,
  outcome: string,
  modules: LinkRegistry,
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
    action,
    ...redemptionOf(link, modules, outcome, at, extra),
  });
}

/** `hint`: what the link's address names (linkPath: its email's link does), read beside the link. */
export async function viewLink(
  token: string,
  deps: Dependencies,
  modules: LinkRegistry,
  hint?: LinkFormHint,
): Promise<LinkView> {
  const { link, read } = await find(deps, token, modules, hint);
  const own = link && linkModuleOf(modules, link.step)?.own;
  if (own) return ownView(link, own, await own.view(deps, link));
  const view = await classify(deps, modules, link, read);
  if (view.kind !== 'open')
    await auditRedemption(deps, token, link, 'link-opened', `refused-${view.kind}`, modules);
  return view;
}

/** `hint`: what the link's form names in its address (web/link-form-action.ts), read beside the link. */
export async function redeemLink(
  token: string,
  body: Record<string, string>,
  deps: Dependencies,
  modules: LinkRegistry,
  hint?: LinkFormHint,
): Promise<RedeemResult> {
  const { link, read, prefetched } = await find(deps, token, modules, hint, body);
  const module = link && linkModuleOf(modules, link.step);
  if (link && module?.own)
    return ownView(link, module.own, await module.own.redeem(deps, link, body, prefetched?.value));
  const view = await classify(deps, modules, link, read);
  if (view.kind !== 'open') {
    await auditRedemption(deps, token, link, 'link-redeemed', `refused-${view.kind}`, modules);
    return view;
  }
  const answer = module?.answer;
  // A silent wait's link (the pool, a running group) is never mailed and takes no answer; a staff
  // sign-in link is answered on its own page.
  if (!answer) return { kind: 'closed', link: view.link };
  const parsed = answer.schema(view).safeParse(body);
  if (!parsed.success) return { ...view, kind: 'invalid', errors: fieldErrors(parsed.error) };
  const action = parsed.data;
  const errors = answer.check?.(deps, view, action);
  if (errors) return { ...view, kind: 'invalid', errors };
  const at = deps.clock.now().toISOString();
  const useFirst = (answer.useLinkFor?.(action) ?? answer.useLink) !== 'after';
  // The event of a redemption that takes effect is recorded by the link's single-use update itself.
  const redemption = redemptionOf(view.link, modules, action.action, at);
  // The single-use guard: one conditional write; a second POST finds the link used and changes nothing.
  if (useFirst) {
    const used = await deps.store.useLink(view.link.linkHash, at, action.action, redemption);
    if (used !== 'ok') return reclassified(deps, modules, token, view, used);
  }
  const applied = await answer.apply(deps, view, action, at);
  const recorded = typeof applied === 'string' ? undefined : applied;
  let outcome: AnswerOutcome = typeof applied === 'string' ? applied : applied.outcome;
  if (useFirst) {
    await recorded?.beside?.();
    outcome = (await recorded?.resume?.()) ?? outcome;
  } else if ((outcome === 'done' || outcome === 'answered-already') && !recorded?.leaveLink) {
    // Answered first (`after`): the link is used once the answer is kept, with its event when it took effect,
    // and beside it what records the answer: both follow the change, neither needs the other.
    const done = outcome === 'done';
    const [used] = await Promise.all([
      deps.store.useLink(view.link.linkHash, at, action.action, done ? redemption : undefined),
      recorded?.beside?.(),
    ]);
    if (used === 'ok') outcome = (await recorded?.resume?.()) ?? outcome;
    // Kept, but the link had changed meanwhile (expired, or closed with its referral): the event on its own.
    else if (done) await auditRedemption(deps, token, view.link, 'link-redeemed', action.action, modules);
  }
  switch (outcome) {
    case 'answered-already':
      return reclassified(deps, modules, token, view, 'not-open');
    case 'try-again':
      await auditRedemption(deps, token, view.link, 'link-redeemed', 'refused-step-between-waits', modules);
      return { kind: 'try-again', link: view.link };
    case 'no-longer-open':
      await auditRedemption(deps, token, view.link, 'link-redeemed', 'refused-step-no-longer-open', modules);
      return { kind: 'no-longer-open', link: view.link };
    case 'done':
      return { kind: 'done', link: view.link, action };
  }
}

/**
 * What a link that another answer got to first is now, audited as a refused redemption. From the guard's
 * result, not read again: no longer open is used (by that other answer), or it expired meanwhile.
 */
async function reclassified(
  deps: Dependencies,
  modules: LinkRegistry,
  token: string,
  view: OpenView,
  used: Exclude<LinkUseResult, 'ok'>,
): Promise<LinkView> {
  const again: LinkView =
    used === 'expired'
      ? {
          kind: 'expired',
          link: view.link,
          renewable: !!linkModuleOf(modules, view.link.step)?.renew,
          referral: view.referral,
        }
      : { kind: 'used', link: { ...view.link, status: 'used' } };
  await auditRedemption(deps, token, view.link, 'link-redeemed', `refused-${again.kind}`, modules);
  return again;
}

export type RenewResult = { kind: 'renewed'; link: LinkRecord } | LinkView;

/**
 * An expired link can ask for a fresh one, sent to the same recipient, for the same still-open thing —
 * within the renewal limits (domain/send-limits.ts), per link and per recipient. Past them the answer is the
 * same as for a sent link (the asker learns nothing), nothing is sent, and the refusal is audited with a keyed
 * hash of the recipient's address.
 */
export async function renewLink(
  token: string,
  deps: Dependencies,
  modules: LinkRegistry,
): Promise<RenewResult> {
  const { link } = await find(deps, token, modules);
  const view = await classify(deps, modules, link);
  const renew = link && linkModuleOf(modules, link.step)?.renew;
  if (view.kind !== 'expired' || !renew) {
    await auditRedemption(deps, token, link, 'link-renewal', `refused-${view.kind}`, modules);
    return view;
  }
  const limited = await overRenewalLimit(deps, view.link);
  if (limited) {
    deps.metrics.count(METRICS.sendLimited);
    await auditRedemption(deps, token, view.link, 'link-renewal', 'rate-limited', modules, limited);
    return { kind: 'renewed', link: view.link };
  }
  const fresh = await renew(deps, view.link, view.referral!);
  if (!fresh) {
    await auditRedemption(deps, token, view.link, 'link-renewal', 'refused-closed', modules);
    return { kind: 'closed', link: view.link };
  }
  await auditRedemption(deps, token, view.link, 'link-renewal', 'renewed', modules);
  return { kind: 'renewed', link: fresh };
}

/**
 * Counts a renewal of `link` against its per-link limits and, only when those hold, its recipient's: a flood
 * on one link uses up at most that link's share of what its recipient may be sent. The recipient's hash when
 * over a limit.
 */
async function overRenewalLimit(
  deps: Dependencies,
  link: LinkRecord,
): Promise<{ addressHash: string } | undefined> {
  const limits = deps.config.linkRenewalLimits ?? LINK_RENEWAL_LIMITS;
  const now = deps.clock.now();
  const addressHash = await addressHashOf(deps, 'link-renewal', link.recipient.email);
  const over =
    (await overSendLimit(deps, 'link-renewal-link', link.linkHash.slice(0, 32), now, limits.perLink)) ||
    (await overSendLimit(deps, 'link-renewal-recipient', addressHash, now, limits.perRecipient));
  return over ? { addressHash } : undefined;
}
