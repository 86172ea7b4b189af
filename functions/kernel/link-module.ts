/**
 * The link-module contract: everything the link engine (functions/phases/links/link-engine.ts) and the
 * link pages know about one purpose a link can have. There is one module per purpose, in its phase's
 * folder, listed once in the registry (functions/phases/link-modules.ts); the engine and the pages
 * dispatch on the module, never on the purpose's name.
 *
 * Two kinds:
 *  - a workflow wait's module is made from its human step (`stepLinkModule`, kernel/step-answers.ts): the
 *    step's schema, page and emails, and an answer that resumes the waiting workflow;
 *  - every other purpose is a `LinkAction`, written directly: withdrawing a referral, a follow-up
 *    questionnaire, the pool's group proposal, a staff sign-in.
 */
import type * as z from 'zod/mini';
import type { Language, Phase, Referral } from '../domain/referral';
import type { LinkPurpose, RecipientRole } from '../domain/steps';
import type { Dependencies, LinkRecord } from '../ports';
import type { OpenLinkView, StepPage } from './human-step';

/** What became of an answer the engine handed to a module. */
export type AnswerOutcome =
  /** It took effect. */
  | 'done'
  /** Another answer to the same thing was recorded a moment earlier: this one changed nothing. */
  | 'answered-already'
  /** The workflow is between two waits of the step: nothing changed, the person may answer again shortly. */
  | 'try-again'
  /** The workflow no longer waits for it: nothing changed, and the link is closed. */
  | 'no-longer-open';

/**
 * An answer recorded before its link is used (`useLink: 'after'`), and what follows once it is. `beside`
 * is written with the link's single-use write: the answer's audit event, after the change it records and so
 * never claiming one not made. `resume` runs only when that write counted, so that of two requests that
 * finish one answer (a repeat after a cut-off one, a racing one) one alone resumes the workflow; it may find
 * the workflow no longer waiting. `leaveLink`: another request is finishing the answer and uses the link.
 */
export interface Recorded {
  outcome: 'done' | 'answered-already';
  beside?: () => Promise<void>;
  resume?: () => Promise<'try-again' | 'no-longer-open' | undefined>;
  leaveLink?: boolean;
}

export interface LinkAnswer<A extends { action: string } = { action: string }> {
  /** The form's schema for the open link (it may depend on the recipient or on partnership data). */
  schema(view: OpenLinkView): z.ZodMiniType<A>;
  /** Checks that need the clock or the referral, after the schema: field errors, or nothing. */
  check?(deps: Dependencies, view: OpenLinkView, action: A): Record<string, string> | undefined;
  /**
   * When the link is marked used. `before` (the default): first, so that of two POSTs at once only one
   * acts. `after`: the answer is recorded first, once under its own key (so that the process dying in
   * between never loses it), and `apply` says `answered-already` when it was not the first.
   */
  useLink?: 'before' | 'after';
  /** `useLink` per action, where only some answers are recorded once under their own key. */
  useLinkFor?(answer: A): 'before' | 'after';
  /** What the answer does, on the referral and beyond. */
  apply(deps: Dependencies, view: OpenLinkView, action: A, at: string): Promise<AnswerOutcome | Recorded>;
}

/**
 * A link its phase views and answers whole, because it belongs to no one referral's state: the pool's
 * group proposal (an age band) and a meeting's attendance (a group). The engine only finds the module.
 */
export interface OwnLink<R = unknown, P = unknown> {
  view(deps: Dependencies, link: LinkRecord): Promise<R>;
  /**
   * What an answer needs read, started beside the link's own read when the form's address names the link's
   * purpose and what it is for (`forId`: the group, the referral); before the link is known, so it must not
   * act. Handed to `redeem` only when the link turns out to be that one's.
   */
  prefetch?(deps: Dependencies, forId: string, body: Record<string, string>): Promise<P>;
  redeem(deps: Dependencies, link: LinkRecord, body: Record<string, string>, prefetched?: P): Promise<R>;
  /** `lang`: the page's language (web/language.ts); none: the link recipient's. */
  page(token: string, result: R, lang?: Language): { status: number; body: string };
}

export interface LinkModule<A extends { action: string } = { action: string }> {
  readonly purpose: LinkPurpose;
  /** Who its links are addressed to (a human step says it in `recipient`). */
  readonly answeredBy?: readonly RecipientRole[];
  /**
   * The phase it is answered in: its link is open only while the referral is in that phase. None: in any
   * phase, until the referral closes or is withdrawn.
   */
  readonly phase?: Phase;
  /** How a person answers at /links; none: answered elsewhere, or a silent wait that no person answers. */
  readonly answer?: LinkAnswer<A>;
  /** The page an open link shows (the staff inbox shows it too, posting elsewhere). */
  readonly page?: StepPage;
  /**
   * An expired link may ask for a fresh one, for the same recipient: this makes and mails it, or says the
   * thing it was for is over (undefined). None: an expired link is not renewed (the module says why).
   */
  readonly renew?: (
    deps: Dependencies,
    expired: LinkRecord,
    referral: Referral,
  ) => Promise<LinkRecord | undefined>;
  /** The link is viewed and answered by its phase as a whole (see OwnLink). */
  readonly own?: OwnLink;
}

/** A link purpose that is not a workflow wait: it says who answers. */
export interface LinkAction<A extends { action: string } = { action: string }> extends LinkModule<A> {
  readonly answeredBy: readonly RecipientRole[];
}

export type LinkRegistry = { readonly [P in LinkPurpose]: LinkModule };

/**
 * Whether a link of this module may still be answered on its referral: the referral is open and not
 * withdrawn, and in the module's phase when it has one.
 */
export function stillOpenOn(
  module: Pick<LinkModule, 'phase'>,
  referral: Referral | undefined,
): referral is Referral {
  if (!referral || referral.status === 'closed' || referral.withdrawal) return false;
  return !module.phase || referral.phase === module.phase;
}

/** The module of a stored link's purpose; undefined for a purpose no module declares (an old record). */
export function linkModuleOf(modules: LinkRegistry, purpose: string): LinkModule | undefined {
  return Object.hasOwn(modules, purpose) ? modules[purpose as LinkPurpose] : undefined;
}
