/**
 * The referral state machine:
 *   Intake → Screening → PlanConsent → CollectConsents (one branch per custodian, with reminders and a
 *   deadline) → EvaluateConsent → [ConsentEscalation] → GroupAssignment → Sessions → FollowUp → Close.
 * Human steps use the callback pattern. Every task retries transient errors; a withdrawal, a decline
 * or a refusal ends in Close with its outcome; anything else is caught into RecordFailure, which leaves
 * the referral visible as `needs-attention`. Payloads carry ids and codes only, never personal data,
 * because execution history keeps them.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Chain,
  Choice,
  Condition,
  Fail,
  type IChainable,
  JsonPath,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  Succeed,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  callbackTask,
  lambdaTask,
  standardStateMachine,
  WORKFLOW_METADATA_KEY,
} from './standard-state-machine';
import { WORKFLOW_ERRORS } from '../functions/domain/steps';
import { HUMAN_STEP_TIMEOUT_SECONDS, REFERRAL_STATES as S } from './referral-states';

export interface ReferralTaskFunctions {
  intake: IFunction;
  screening: IFunction;
  consentPlan: IFunction;
  consentClock: IFunction;
  consent: IFunction;
  consentEvaluate: IFunction;
  consentEscalation: IFunction;
  groupAssignment: IFunction;
  sessions: IFunction;
  followUp: IFunction;
  close: IFunction;
  recordFailure: IFunction;
}

export interface ReferralWorkflowProps {
  functions: ReferralTaskFunctions;
  /** A fixed name, so functions can be granted callbacks on its ARN without a dependency cycle. */
  stateMachineName: string;
  /** Key that encrypts the execution log group. */
  logKey: IKey;
}

/** Marker the local runtime uses to find this state machine in the synthesized template. */
export const REFERRAL_WORKFLOW_METADATA = { key: WORKFLOW_METADATA_KEY, value: 'referral' } as const;

export class ReferralWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ReferralWorkflowProps) {
    super(scope, id);
    const fn = props.functions;
    const referralId = JsonPath.stringAt('$.referralId');

    // ---- Endings ----------------------------------------------------------------------------------
    // RecordFailure is the net under every other state: it retries every error, longer.
    const recordFailure = lambdaTask(
      this,
      S.recordFailure,
      fn.recordFailure,
      { referralId, error: JsonPath.stringAt('$.failure.Error') },
      JsonPath.DISCARD,
      { allErrors: true, intervalSeconds: 5, maxAttempts: 6 },
    );
    const needsAttention = new Fail(this, S.needsAttention, { error: 'Referral.NeedsAttention' });
    // Even when the record cannot be written after all retries, the execution ends visibly failed.
    recordFailure.addCatch(needsAttention, { errors: ['States.ALL'], resultPath: '$.recordFailure' });
    const failureChain = recordFailure.next(needsAttention);

    const close = lambdaTask(
      this,
      S.close,
      fn.close,
      { referralId, outcome: JsonPath.stringAt('$.closing.outcome') },
      '$.closed',
    );
    close.addCatch(failureChain, { errors: ['States.ALL'], resultPath: '$.failure' });
    // The execution ends at Close. Erasure after the retention period is not waited for here (a Standard
    // execution lives at most a year): Close records the due erasure in the table, and a daily sweep
    // (functions/erasure-sweep, on an EventBridge Scheduler schedule) erases it.
    close.next(new Succeed(this, S.closed));

    const outcome = (stateId: string, value: string) =>
      new Pass(this, stateId, {
        result: Result.fromObject({ outcome: value }),
        resultPath: '$.closing',
      }).next(close);
    const declined = outcome(S.outcomeDeclined, 'declined');
    const consentRefused = outcome(S.outcomeConsentRefused, 'consent-refused');
    const consentNotObtained = outcome(S.outcomeConsentNotObtained, 'consent-not-obtained');
    const withdrawn = outcome(S.outcomeWithdrawn, 'withdrawn');
    const noGroup = outcome(S.outcomeNoGroup, 'no-group');

    /** Catches of a top-level state: specific endings first, then withdrawal, then everything else. */
    const guard = <T extends LambdaInvoke | MapState>(
      state: T,
      endings: { error: string; next: IChainable }[] = [],
    ): T => {
      for (const ending of endings)
        state.addCatch(ending.next, { errors: [ending.error], resultPath: '$.failure' });
      state.addCatch(withdrawn, { errors: [WORKFLOW_ERRORS.withdrawn], resultPath: '$.failure' });
      state.addCatch(failureChain, { errors: ['States.ALL'], resultPath: '$.failure' });
      return state;
    };
    const work = (
      stateId: string,
      lambdaFunction: IFunction,
      payload: Record<string, unknown>,
      resultPath: string,
    ) => lambdaTask(this, stateId, lambdaFunction, payload, resultPath);
    const humanStep = (
      stateId: string,
      lambdaFunction: IFunction,
      timeout: Timeout,
      resultPath: string,
      payload: Record<string, unknown> = { referralId },
    ) => callbackTask(this, stateId, lambdaFunction, payload, resultPath, timeout);
    const days = (seconds: number) => Timeout.duration(Duration.seconds(seconds));

    // ---- Consent, per custodian: wait for an answer; on each timer, remind or give up at the deadline ----
    const custodianInput = { referralId, custodian: JsonPath.numberAt('$.custodian') };
    const consentTimer = work(
      S.consentTimer,
      fn.consentClock,
      { ...custodianInput, op: 'schedule' },
      '$.timer',
    );
    const awaitConsent = humanStep(
      S.awaitConsent,
      fn.consent,
      Timeout.at('$.timer.seconds'),
      '$.answer',
      custodianInput,
    );
    const timeElapsed = work(
      S.consentTimeElapsed,
      fn.consentClock,
      { ...custodianInput, op: 'elapsed' },
      '$.elapsed',
    );
    awaitConsent.addCatch(timeElapsed, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    const custodianConsents = Chain.start(consentTimer)
      .next(awaitConsent)
      .next(new Succeed(this, S.custodianConsented));
    timeElapsed.next(
      new Choice(this, S.consentDeadlinePassed)
        .when(Condition.booleanEquals('$.elapsed.deadlinePassed', true), new Succeed(this, S.custodianSilent))
        .otherwise(consentTimer),
    );

    const collectConsents = guard(
      new MapState(this, S.collectConsents, {
        itemsPath: '$.consentPlan.custodians',
        itemSelector: { referralId, custodian: JsonPath.numberAt('$$.Map.Item.Value.custodian') },
        maxConcurrency: 2,
        resultPath: JsonPath.DISCARD,
      }),
      // A refusal by one custodian fails the map, which stops the other custodian's wait.
      [{ error: WORKFLOW_ERRORS.consentRefused, next: consentRefused }],
    );
    collectConsents.itemProcessor(custodianConsents);

    // In the pool: the wait re-runs weekly, so the planner sees children whose waiting limit has passed.
    const groupAssignment = humanStep(
      S.groupAssignment,
      fn.groupAssignment,
      days(HUMAN_STEP_TIMEOUT_SECONDS.groupAssignment),
      '$.group',
    );
    groupAssignment.addCatch(groupAssignment, { errors: ['States.Timeout'], resultPath: '$.poolTimer' });
    guard(groupAssignment, [{ error: WORKFLOW_ERRORS.noGroup, next: noGroup }]);
    const evaluateConsent = guard(
      work(S.evaluateConsent, fn.consentEvaluate, { referralId }, '$.evaluation'),
      [{ error: WORKFLOW_ERRORS.consentRefused, next: consentRefused }],
    );
    const planConsent = guard(work(S.planConsent, fn.consentPlan, { referralId }, '$.consentPlan'));
    const escalation = guard(
      humanStep(
        S.consentEscalation,
        fn.consentEscalation,
        days(HUMAN_STEP_TIMEOUT_SECONDS.consentEscalation),
        '$.escalation',
      ),
    );

    planConsent.next(
      new Choice(this, S.consentMode)
        .when(Condition.stringEquals('$.consentPlan.mode', 'child'), evaluateConsent)
        .otherwise(collectConsents),
    );
    collectConsents.next(evaluateConsent);
    evaluateConsent.next(
      new Choice(this, S.consentDecision)
        .when(Condition.stringEquals('$.evaluation.next', 'escalate'), escalation)
        .otherwise(groupAssignment),
    );
    escalation.next(
      new Choice(this, S.escalationChoice)
        .when(Condition.stringEquals('$.escalation.choice', 'extend'), planConsent)
        .when(Condition.stringEquals('$.escalation.choice', 'committee-decision'), evaluateConsent)
        .otherwise(consentNotObtained),
    );

    const intake = guard(work(S.intake, fn.intake, { referralId }, JsonPath.DISCARD));
    const screening = guard(
      humanStep(S.screening, fn.screening, days(HUMAN_STEP_TIMEOUT_SECONDS.screening), '$.screening'),
      [{ error: WORKFLOW_ERRORS.declined, next: declined }],
    );
    const sessions = guard(
      humanStep(S.sessions, fn.sessions, days(HUMAN_STEP_TIMEOUT_SECONDS.sessions), '$.sessions'),
    );
    const followUp = guard(work(S.followUp, fn.followUp, { referralId, op: 'start' }, '$.followUp'));
    intake.next(screening).next(planConsent);
    // A retry of a referral that needed attention starts a new execution at the phase that failed.
    const resumeAt = (phase: string) =>
      Condition.and(Condition.isPresent('$.resumeAt'), Condition.stringEquals('$.resumeAt', phase));
    const definition = new Choice(this, S.startOrResume)
      .when(resumeAt('screening'), screening)
      .when(resumeAt('consent'), planConsent)
      .when(resumeAt('group-assignment'), groupAssignment)
      .when(resumeAt('sessions'), sessions)
      .when(resumeAt('follow-up'), followUp)
      // Closed (a retry after Close failed): Close again; it is idempotent and records the due erasure.
      .when(resumeAt('closed'), close)
      .otherwise(intake);
    groupAssignment
      .next(sessions)
      .next(followUp)
      .next(new Wait(this, S.untilSummary, { time: WaitTime.timestampPath('$.followUp.summaryAt') }))
      .next(guard(work(S.sendSummary, fn.followUp, { referralId, op: 'summary' }, JsonPath.DISCARD)))
      .next(new Wait(this, S.untilLaterFollowUp, { time: WaitTime.timestampPath('$.followUp.laterAt') }))
      .next(guard(work(S.laterFollowUp, fn.followUp, { referralId, op: 'later' }, '$.later')))
      .next(new Wait(this, S.untilFollowUpReminder, { time: WaitTime.timestampPath('$.later.reminderAt') }))
      .next(guard(work(S.followUpReminder, fn.followUp, { referralId, op: 'reminder' }, JsonPath.DISCARD)))
      .next(new Wait(this, S.untilFollowUpEnds, { time: WaitTime.timestampPath('$.later.closeAt') }))
      .next(outcome(S.outcomeCompleted, 'completed'));

    this.stateMachine = standardStateMachine(this, {
      name: props.stateMachineName,
      role: 'referral',
      definition,
      comment: 'One execution per referral of a foster-placed child to a Bris support group.',
      logKey: props.logKey,
    });
  }
}
