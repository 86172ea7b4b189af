/**
 * The human-step contract: everything the kernel needs to know about one place where the workflow waits
 * for a person, declared in one module per step (in its phase's folder). Step entry, the replay of an
 * answer, the link engine and the staff inbox dispatch on the module, never on a switch over step names:
 * adding a step is adding a module and one line in the registry (`functions/phases/human-steps.ts`).
 * A step is the workflow-wait kind of link module (kernel/link-module.ts): its link is answered through
 * `stepLinkModule` (kernel/step-answers.ts).
 */
import type * as z from 'zod/mini';
import type { Partnership, StaffMember, StepTiming, TimedStep } from '../domain/partnership';
import type { Phase, Referral } from '../domain/referral';
import type { RecipientRole, StepName, StepResolution } from '../domain/steps';
import type { AuditEvent, Dependencies, LinkRecord } from '../ports';
import type { StepRequestEmail } from '../web/emails/templates';
import type { Language } from '../domain/referral';
import type { SafeHtml } from '../web/html';
import type { EmailContent } from '../web/emails/render';
import type { Recipient } from './referrals';

/** A link that is open on an open referral, as its page shows it. */
export interface OpenLinkView {
  kind: 'open';
  link: LinkRecord;
  referral: Referral;
  retentionMonths: number;
  /** The referral's partnership: settings a page or a schema reads (a questionnaire's items). */
  partnership: Partnership;
}

/** What a step's page is given to render itself: the open link, where its forms post, and what went wrong. */
export interface StepPageContext {
  view: OpenLinkView;
  /** Where the page's forms post: the link itself, or the staff inbox's task. */
  action: string;
  /** A notice and the error summary, to show under the heading. */
  top: SafeHtml;
  errors: Record<string, string>;
  lang: Language;
}

export type StepPage = (ctx: StepPageContext) => string;

/** The email that tells the escalation target a step is overdue: which referral, since when, where to act. */
export type StepOverdueEmail = (
  r: Pick<Referral, 'referralId' | 'child' | 'district'>,
  to: { name: string; role: string; language?: Language },
  o: { since: string; deadline: string; staffUrl: string; coordinator: { name: string; email: string } },
) => EmailContent;

export type AnswerResolution = StepResolution | { kind: 'asked-anew' };

/** An answer arrives for a step whose link is open on an open referral. */
export interface OpenStep {
  link: LinkRecord;
  referral: Referral;
}

export interface StepAnswer<A extends { action: string } = { action: string }> {
  /** The answer's schema for the person holding the link (a social worker answers consent on paper). */
  schema(role: RecipientRole): z.ZodMiniType<A>;
  /** Checks that need the clock or the referral, after the schema: field errors, or nothing. */
  check?(deps: Dependencies, step: OpenStep, action: A): Record<string, string> | undefined;
  /**
   * What the answer does to the referral, before the workflow is resumed; `answered-already` when it is
   * one that `first` takes and the wait had an answer (nothing changed).
   */
  apply(deps: Dependencies, step: OpenStep, action: A, at: string): Promise<void | 'answered-already'>;
  /** The answers recorded before the link is used, rather than after its single-use guard. */
  first?: AnswerFirst<A>;
  /**
   * What the workflow receives: a success output, or an answer error the state machine catches; or nothing,
   * when the answer asked the step anew of someone else (`asked-anew`: a custodian's new address) and the
   * wait goes on, bound to the new link.
   */
  resolution(action: A): AnswerResolution;
  /** The workflow did not take the answer (the step was no longer waiting): undo it, to be asked again. */
  takeBack?(deps: Dependencies, step: OpenStep): Promise<void>;
}

/** An answer as its wait recorded it: the action that made it, when, and by whom. */
export interface RecordedAnswer<A> {
  action: A;
  at: string;
  by: AuditEvent['actor'];
}

/**
 * Answers recorded before the step's link is used (the link engine's `useLink: 'after'`), for the actions
 * it `takes`. The change is conditional, once per wait, so it is its own guard against a second or racing
 * answer; a process that dies before the link is used keeps the answer, and the link, still open, finishes
 * it when the form is sent again. `apply` records these too (the staff inbox, after its guard): `record`,
 * then the `event`.
 */
export interface AnswerFirst<A extends { action: string }> {
  takes(action: A): boolean;
  /** Records the answer unless the wait has one: false then, and nothing changed. */
  record(deps: Dependencies, step: OpenStep, action: A, at: string): Promise<boolean>;
  /** The answer recorded through this link (since it was made), as read with it; none while unanswered. */
  recorded(step: OpenStep): RecordedAnswer<A> | undefined;
  /** Its audit event, once-keyed so that a repeat adds none: written after the change, never before. */
  event(step: OpenStep, answer: RecordedAnswer<A>): { event: AuditEvent; onceKey: string };
}

export interface HumanStep<A extends { action: string } = { action: string }> {
  readonly name: StepName;
  readonly phase: Phase;
  /** Who answers: role, name, address and language, found on the referral (or its group, its partnership). */
  recipient(deps: Dependencies, referral: Referral, custodian?: number): Promise<Recipient>;
  /** How a person answers through the step's link; a silent wait has none (an event settles it). */
  answer?: StepAnswer<A>;
  /**
   * The answer already given to an earlier wait of this step (a resumed or retried execution), to give
   * to the wait that runs now; undefined when there is none.
   */
  recordedAnswer(
    deps: Dependencies,
    referral: Referral,
    link: LinkRecord,
  ): Promise<StepResolution | undefined>;
  /** A silent wait (never mailed): the output that settles it once its event has happened. */
  settledBy?(deps: Dependencies, referral: Referral): Promise<Record<string, string> | undefined>;
  /** The page its link shows (and the staff inbox, posting elsewhere). */
  page?: StepPage;
  /**
   * The email that asks for the step (and a renewed link); a reminder is the request with a note unless
   * given; the overdue email to the escalation target is the kernel's generic one unless given.
   */
  email?: { request: StepRequestEmail; reminder?: StepRequestEmail; overdue?: StepOverdueEmail };
  /**
   * A step entered before this instant is asked anew with a new email (a new consent round, screening
   * after an information request); a step first asked before it starts a new round of its clock.
   */
  asksAgainAfter?(referral: Referral): string | undefined;
  /**
   * A step a person may leave unanswered: its owner is reminded, then `escalateTo` is told, and at the
   * final deadline the state machine ends the step with its recorded outcome (partnership `stepTiming`).
   */
  timing?: {
    step: TimedStep;
    escalateTo(deps: Dependencies, referral: Referral): Promise<StaffMember[]>;
    /**
     * The clock this referral's wait runs on, when it is not the step's own (counted from when the step
     * was first asked, reminding with a fresh step link): the group proposal's clock is its age band's,
     * shared by every child waiting in it.
     */
    clock?(deps: Dependencies, referral: Referral, timing: StepTiming, p: Partnership): Promise<StepClock>;
    /**
     * Once escalated, the step may be answered by this role too, signed in from the staff inbox, with the
     * answers its schema allows that role (the coordinator screens without the information she asked for).
     */
    escalationMayAnswer?: RecipientRole;
    /**
     * An instant (ms) by which the step must end even when its policy's deadline is later (a home visit ends
     * when its group first meets); undefined: the policy's deadline alone.
     */
    endsBy?(deps: Dependencies, referral: Referral, since: number): Promise<number | undefined>;
    /** Records what the final deadline means for the referral, before the state machine ends the step. */
    atDeadline?(deps: Dependencies, referral: Referral): Promise<void>;
  };
}

/**
 * Where a step's clock counts from, and what its reminders, escalation and final deadline do. The step
 * clock (kernel/step-clock.ts) decides what is due; each reminder and the escalation is sent once per
 * (`owner`, `key`), however many waits run on the clock.
 */
export interface StepClock {
  /** Whose notifications these are: the referral, or what a shared clock belongs to. */
  owner: string;
  /** The clock's name among the owner's notifications (a new clock of the same owner has a new key). */
  key: string;
  /** Several referrals' waits run on it at once, so two may find the same reminder due together. */
  shared?: boolean;
  /** When the clock started; none while nothing waits on the step's owner (no reminder is due then). */
  since?: number;
  /** This referral's final deadline: the step ends with its outcome then. */
  deadlineAt: number;
  /** The state machine looks again by then at the latest, whatever is due (the pool's planner: weekly). */
  lookAgainAt?: number;
  /** The timelines that record the reminders and the escalation (referrals; a group for its own steps). */
  recordedOn: string[];
  /** Codes added to those audit events (e.g. the meeting). */
  detail?: Record<string, string>;
  /**
   * The step's link was used: the next wait replays the answer at once (`schedule` gives it time to), and
   * when it was used while a wait timed out, nothing more is due.
   */
  answered?: boolean;
  /**
   * What the step's wait, which the state machine runs right after `schedule`, may take from this clock
   * instead of reading it again (`$.timer.forWait`; the pool's: pool-clock.ts `PoolView`). A step whose
   * clock gives it must give it on every `schedule`, since the state machine's path to it must exist.
   */
  forWait?: Record<string, unknown>;
  /**
   * Sends reminder `n` (1-based) to the step's owner. The clock gives it the means to make a fresh link,
   * so that a module's declaration reaches no link key: functions that hold the step registry but never
   * remind (the staff pages) need no access to it.
   */
  remind(n: number, newLink: NewLink, entry: string): Promise<void>;
  /** Tells the escalation targets. */
  escalate(to: EscalationTarget[]): Promise<void>;
  /** The final deadline has passed: records it (the state machine then ends the step with its outcome). */
  end(): Promise<void>;
}

/** Someone told when a step is overdue: a staff member, or a step's own recipient (the coordinator). */
export type EscalationTarget = Pick<StaffMember, 'name' | 'email' | 'language'> & { role: string };

/** Makes a new link (kernel/step-links.ts `newLink`, bound to the dependencies). */
export type NewLink = (
  fields: Omit<LinkRecord, 'linkHash' | 'createdAt' | 'expiresAt' | 'status'>,
  ttlDays: number,
) => Promise<{ link: LinkRecord; url: string }>;

/**
 * Whether a step record belongs to an earlier asking of the step than the one the referral is in now:
 * it was first asked before the module's `asksAgainAfter`.
 */
export function fromEarlierRound(
  module: HumanStep,
  referral: Referral,
  record: { since?: string; enteredAt: string },
): boolean {
  const after = module.asksAgainAfter?.(referral);
  return !!after && (record.since ?? record.enteredAt) < after;
}

export type StepRegistry = { readonly [S in StepName]: HumanStep };
