/**
 * The human-step contract: everything the kernel needs to know about one place where the workflow waits
 * for a person, declared in one module per step (in its phase's folder). Step entry, the replay of an
 * answer, the link engine and the staff inbox dispatch on the module, never on a switch over step names:
 * adding a step is adding a module and one line in the registry (`functions/phases/human-steps.ts`).
 * A step is the workflow-wait kind of link module (kernel/link-module.ts): its link is answered through
 * `stepLinkModule` (kernel/step-answers.ts).
 */
import type { z } from 'zod';
import type { Partnership, StaffMember, TimedStep } from '../domain/partnership';
import type { Phase, Referral } from '../domain/referral';
import type { RecipientRole, StepName, StepResolution } from '../domain/steps';
import type { Dependencies, LinkRecord } from '../ports';
import type { StepRequestEmail } from '../web/emails/templates';
import type { Language } from '../domain/referral';
import type { SafeHtml } from '../web/html';
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

/** An answer arrives for a step whose link is open on an open referral. */
export interface OpenStep {
  link: LinkRecord;
  referral: Referral;
}

export interface StepAnswer<A extends { action: string } = { action: string }> {
  /** The answer's schema for the person holding the link (a social worker answers consent on paper). */
  schema(role: RecipientRole): z.ZodType<A>;
  /** Checks that need the clock or the referral, after the schema: field errors, or nothing. */
  check?(deps: Dependencies, step: OpenStep, action: A): Record<string, string> | undefined;
  /** What the answer does to the referral, before the workflow is resumed. */
  apply(deps: Dependencies, step: OpenStep, action: A, at: string): Promise<void>;
  /** What the workflow receives: a success output, or an answer error the state machine catches. */
  resolution(action: A): StepResolution;
  /** The workflow did not take the answer (the step was no longer waiting): undo it, to be asked again. */
  takeBack?(deps: Dependencies, step: OpenStep): Promise<void>;
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
  /** The email that asks for the step (and a renewed link); a reminder is the request with a note unless given. */
  email?: { request: StepRequestEmail; reminder?: StepRequestEmail };
  /** A step entered before this instant is asked anew with a new email (a new consent round). */
  asksAgainAfter?(referral: Referral): string | undefined;
  /**
   * A step a person may leave unanswered: its owner is reminded, then `escalateTo` is told, and at the
   * final deadline the state machine ends the step with its recorded outcome (partnership `stepTiming`).
   */
  timing?: {
    step: TimedStep;
    escalateTo(deps: Dependencies, referral: Referral): Promise<StaffMember[]>;
  };
}

export type StepRegistry = { readonly [S in StepName]: HumanStep };
