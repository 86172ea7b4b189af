/**
 * The referral state machine:
 *   Intake → Screening [→ InformationRequest → Screening, at most twice] → PlanConsent → CollectConsents
 *   (one branch per custodian, with reminders and a deadline) → EvaluateConsent → [ConsentEscalation] →
 *   GroupAssignment → Sessions → FollowUp → Close.
 * A Standard execution lives at most a year, and a referral can take longer, so it runs as up to four
 * executions of this one machine, each continuing the next with StartExecution (AWS's recommended way
 * to continue long work): intake and screening, consent and the wait for a group, the group (Sessions),
 * and the follow-up to Close. Every loop is bounded by a counter in `$.loops`; `infra/longest-execution.ts`
 * proves from the synthesized ASL that no execution can outlast the machine's TimeoutSeconds, and that
 * this stays under a year. Erasure after the retention period is not part of any execution.
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
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Parallel,
  Pass,
  Result,
  StateMachine,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  callbackTask,
  lambdaTask,
  standardStateMachine,
  WORKFLOW_METADATA_KEY,
} from './standard-state-machine';
import type { TimedStep } from '../functions/domain/partnership';
import { WORKFLOW_ERRORS } from '../functions/domain/steps';
import {
  HUMAN_STEP_TIMEOUT_SECONDS,
  REFERRAL_STATES as S,
  STEP_DEADLINE_PASSED,
  TOO_MANY_INFORMATION_REQUESTS,
} from './referral-states';
import {
  CONTINUE_TASK_TIMEOUT_SECONDS,
  LOOP_LIMITS,
  REFERRAL_EXECUTION_TIMEOUT_DAYS,
} from './execution-bounds';

export interface ReferralTaskFunctions {
  intake: IFunction;
  screening: IFunction;
  informationRequest: IFunction;
  consentPlan: IFunction;
  consentClock: IFunction;
  stepClock: IFunction;
  consent: IFunction;
  consentEvaluate: IFunction;
  consentEscalation: IFunction;
  groupAssignment: IFunction;
  homeVisit: IFunction;
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
    const guard = <T extends LambdaInvoke | MapState | Parallel>(
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

    // ---- Loop counters: each loop leaves through a Choice on its counter, so no loop can run for ever ----
    const topLevelLoops = ['escalations', 'informationRequests'] as const;
    const countFromZero = new Pass(this, S.countFromZero, {
      result: Result.fromObject(Object.fromEntries(topLevelLoops.map((loop) => [loop, 0]))),
      resultPath: '$.loops',
    });
    /** A Pass that adds one to `loop`, copying the other counters (a Pass writes one whole path). */
    const countOne = (stateId: string, loop: string, loops: readonly string[]) =>
      new Pass(this, stateId, {
        parameters: Object.fromEntries(
          loops.map((l) => [
            l,
            l === loop
              ? JsonPath.mathAdd(JsonPath.numberAt(`$.loops.${l}`), 1)
              : JsonPath.numberAt(`$.loops.${l}`),
          ]),
        ),
        resultPath: '$.loops',
      });

    // ---- Continuing in a new execution (see the comment at the top) ----------------------------------------
    const continued = new Succeed(this, S.continuedInNextExecution);
    const continueAt = (stateId: string, phase: 'consent' | 'sessions' | 'follow-up') => {
      const task = new StepFunctionsStartExecution(this, stateId, {
        stateMachine: StateMachine.fromStateMachineName(this, `${stateId}Target`, props.stateMachineName),
        integrationPattern: IntegrationPattern.REQUEST_RESPONSE,
        // Named after this execution and the phase: a retried task finds the execution it started (AWS
        // answers an identical start with success while it runs, ExecutionAlreadyExists once it has ended).
        // This execution's name, not the referral's: a retry after needs-attention (`<referralId>-retry-<n>`)
        // that reaches the same continuation again must start a new execution, not find the failed one.
        // The first execution is named after the referral, so its next one is `<referralId>-consent`.
        name: JsonPath.format(`{}-${phase}`, JsonPath.stringAt('$$.Execution.Name')),
        input: TaskInput.fromObject({ referralId, resumeAt: phase }),
        associateWithParent: false,
        resultPath: JsonPath.DISCARD,
        taskTimeout: Timeout.duration(Duration.seconds(CONTINUE_TASK_TIMEOUT_SECONDS)),
      });
      const alreadyStarted = [
        'StepFunctions.ExecutionAlreadyExistsException',
        'StepFunctions.ExecutionAlreadyExists',
      ];
      task.addRetry({ errors: alreadyStarted, maxAttempts: 0 });
      task.addRetry({
        errors: ['States.ALL'],
        interval: Duration.seconds(2),
        maxAttempts: 5,
        backoffRate: 2,
      });
      task.addCatch(continued, { errors: alreadyStarted, resultPath: JsonPath.DISCARD });
      task.addCatch(failureChain, { errors: ['States.ALL'], resultPath: '$.failure' });
      return task.next(continued);
    };

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
    const custodianSilent = new Succeed(this, S.custodianSilent);
    // Reminders and the deadline take a few rounds; the counter only stops a clock that never says "deadline".
    const countConsentRound = countOne(S.countConsentRound, 'consentRounds', ['consentRounds']).next(
      new Choice(this, S.consentRoundsLeft)
        .when(
          Condition.numberGreaterThanEquals('$.loops.consentRounds', LOOP_LIMITS.consentRounds),
          custodianSilent,
        )
        .otherwise(consentTimer),
    );
    timeElapsed.next(
      new Choice(this, S.consentDeadlinePassed)
        .when(Condition.booleanEquals('$.elapsed.deadlinePassed', true), custodianSilent)
        .otherwise(countConsentRound),
    );

    const collectConsents = guard(
      new MapState(this, S.collectConsents, {
        itemsPath: '$.consentPlan.custodians',
        itemSelector: {
          referralId,
          custodian: JsonPath.numberAt('$$.Map.Item.Value.custodian'),
          loops: { consentRounds: 0 },
        },
        maxConcurrency: 2,
        resultPath: JsonPath.DISCARD,
      }),
      // A refusal by one custodian fails the map, which stops the other custodian's wait.
      [{ error: WORKFLOW_ERRORS.consentRefused, next: consentRefused }],
    );
    collectConsents.itemProcessor(custodianConsents);

    const evaluateConsent = guard(
      work(S.evaluateConsent, fn.consentEvaluate, { referralId }, '$.evaluation'),
      [{ error: WORKFLOW_ERRORS.consentRefused, next: consentRefused }],
    );
    const planConsent = guard(work(S.planConsent, fn.consentPlan, { referralId }, '$.consentPlan'));
    /**
     * A step a person may leave unanswered: inside one window (a Parallel with one branch, so its whole
     * length has one bound), the step clock says how long to wait; the wait for the answer times out into
     * the clock, which reminds, escalates, or at the deadline ends the window with StepDeadlinePassed,
     * which the window's Catch turns into the step's recorded outcome. Nothing ends in needs-attention
     * because a person did not act.
     */
    const stepWindow = (
      ids: {
        window: string;
        start: string;
        timer: string;
        elapsed: string;
        reached: string;
        deadline: string;
        count: string;
        left: string;
        answered: string;
      },
      step: TimedStep,
      wait: LambdaInvoke,
      /** Where the answer goes after the window, and what of it (a window's output is its branch's array). */
      result?: { path: string; selector: Record<string, string> },
      rounds: number = LOOP_LIMITS.stepRounds,
    ) => {
      const clock = { referralId, step };
      const timer = work(ids.timer, fn.stepClock, { ...clock, op: 'schedule' }, '$.timer');
      const elapsed = work(ids.elapsed, fn.stepClock, { ...clock, op: 'elapsed' }, '$.elapsed');
      const ended = new Fail(this, ids.deadline, { error: STEP_DEADLINE_PASSED });
      wait.addCatch(elapsed, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
      const round = countOne(ids.count, 'stepRounds', ['stepRounds']).next(
        new Choice(this, ids.left)
          .when(Condition.numberGreaterThanEquals('$.loops.stepRounds', rounds), ended)
          .otherwise(timer),
      );
      elapsed.next(
        new Choice(this, ids.reached)
          .when(Condition.booleanEquals('$.elapsed.deadlinePassed', true), ended)
          .otherwise(round),
      );
      const window = new Parallel(this, ids.window, {
        // Screening's decision and the escalation's choice are read after their windows.
        resultPath: result?.path ?? JsonPath.DISCARD,
        resultSelector: result?.selector,
      });
      window.branch(
        Chain.start(
          new Pass(this, ids.start, { result: Result.fromObject({ stepRounds: 0 }), resultPath: '$.loops' }),
        )
          .next(timer)
          .next(wait)
          .next(new Succeed(this, ids.answered)),
      );
      return window;
    };
    // In the pool: the band's group proposal clock (functions/phases/groups/pool-clock.ts) says how long
    // to wait: until the coordinator's next reminder or escalation, the planner's weekly look, or the
    // child's pool deadline (maxPoolDays), where the window ends and the referral closes as no-group.
    const groupAssignment = guard(
      stepWindow(
        {
          window: S.poolWindow,
          start: S.poolWindowStart,
          timer: S.poolTimer,
          elapsed: S.poolTimeElapsed,
          reached: S.poolDeadlineReached,
          deadline: S.poolDeadlinePassed,
          answered: S.placedInGroup,
          count: S.countPoolRound,
          left: S.poolRoundsLeft,
        },
        'group-assignment',
        // The wait takes the pool as the clock read it a moment ago (pool-clock.ts PoolView), not again.
        humanStep(S.groupAssignment, fn.groupAssignment, Timeout.at('$.timer.seconds'), '$.group', {
          referralId,
          pool: JsonPath.objectAt('$.timer.forWait'),
        }),
        undefined,
        LOOP_LIMITS.poolRounds,
      ),
      [
        { error: WORKFLOW_ERRORS.noGroup, next: noGroup },
        { error: STEP_DEADLINE_PASSED, next: noGroup },
      ],
    );
    const escalation = guard(
      stepWindow(
        {
          window: S.escalationWindow,
          start: S.escalationWindowStart,
          timer: S.escalationTimer,
          elapsed: S.escalationTimeElapsed,
          reached: S.escalationDeadlineReached,
          deadline: S.escalationDeadlinePassed,
          answered: S.escalationAnswered,
          count: S.countEscalationRound,
          left: S.escalationRoundsLeft,
        },
        'consent-escalation',
        humanStep(S.consentEscalation, fn.consentEscalation, Timeout.at('$.timer.seconds'), '$.escalation'),
        { path: '$.escalation', selector: { 'choice.$': '$[0].escalation.choice' } },
      ),
      [{ error: STEP_DEADLINE_PASSED, next: consentNotObtained }],
    );

    planConsent.next(
      new Choice(this, S.consentMode)
        .when(Condition.stringEquals('$.consentPlan.mode', 'child'), evaluateConsent)
        .otherwise(collectConsents),
    );
    collectConsents.next(evaluateConsent);
    // The social worker may extend the round, but not for ever: past the limit consent was not obtained.
    const countEscalation = countOne(S.countEscalation, 'escalations', topLevelLoops).next(
      new Choice(this, S.escalationsLeft)
        .when(Condition.numberGreaterThan('$.loops.escalations', LOOP_LIMITS.escalations), consentNotObtained)
        .otherwise(escalation),
    );
    evaluateConsent.next(
      new Choice(this, S.consentDecision)
        .when(Condition.stringEquals('$.evaluation.next', 'escalate'), countEscalation)
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
      stepWindow(
        {
          window: S.screeningWindow,
          start: S.screeningWindowStart,
          timer: S.screeningTimer,
          elapsed: S.screeningTimeElapsed,
          reached: S.screeningDeadlineReached,
          deadline: S.screeningDeadlinePassed,
          answered: S.screeningAnswered,
          count: S.countScreeningRound,
          left: S.screeningRoundsLeft,
        },
        'screening',
        humanStep(S.screening, fn.screening, Timeout.at('$.timer.seconds'), '$.screening'),
        { path: '$.screening', selector: { 'decision.$': '$[0].screening.decision' } },
      ),
      [
        { error: WORKFLOW_ERRORS.declined, next: declined },
        { error: STEP_DEADLINE_PASSED, next: outcome(S.outcomeNotScreened, 'not-screened') },
      ],
    );
    // More information: the social worker's own window, then screening again (its own new round). Her
    // silence ends the window at its deadline, and screening is asked anew all the same.
    const informationRequest = guard(
      stepWindow(
        {
          window: S.informationRequestWindow,
          start: S.informationRequestWindowStart,
          timer: S.informationRequestTimer,
          elapsed: S.informationRequestTimeElapsed,
          reached: S.informationRequestDeadlineReached,
          deadline: S.informationRequestDeadlinePassed,
          answered: S.informationRequestAnswered,
          count: S.countInformationRequestRound,
          left: S.informationRequestRoundsLeft,
        },
        'information-request',
        humanStep(
          S.informationRequest,
          fn.informationRequest,
          Timeout.at('$.timer.seconds'),
          JsonPath.DISCARD,
        ),
      ),
      [{ error: STEP_DEADLINE_PASSED, next: screening }],
    );
    informationRequest.next(screening);
    // The screening answer refuses a request past the limit, so the counter only stops a program error.
    const tooManyInformationRequests = new Pass(this, S.tooManyInformationRequests, {
      result: Result.fromObject({
        Error: TOO_MANY_INFORMATION_REQUESTS,
        Cause: `more than ${LOOP_LIMITS.informationRequests} information requests`,
      }),
      resultPath: '$.failure',
    }).next(failureChain);
    const countInformationRequest = countOne(
      S.countInformationRequest,
      'informationRequests',
      topLevelLoops,
    ).next(
      new Choice(this, S.informationRequestsLeft)
        .when(
          Condition.numberGreaterThan('$.loops.informationRequests', LOOP_LIMITS.informationRequests),
          tooManyInformationRequests,
        )
        .otherwise(informationRequest),
    );
    const sessions = guard(
      humanStep(S.sessions, fn.sessions, days(HUMAN_STEP_TIMEOUT_SECONDS.sessions), '$.sessions'),
    );
    // Proposed for a group: the leader visits the family home before the seat is confirmed. A family that
    // declines closes the referral (its seat freed at Close); so does a visit not recorded by the deadline,
    // which is at the latest the group's first meeting (home-visit-step.ts).
    const homeVisit = guard(
      stepWindow(
        {
          window: S.homeVisitWindow,
          start: S.homeVisitWindowStart,
          timer: S.homeVisitTimer,
          elapsed: S.homeVisitTimeElapsed,
          reached: S.homeVisitDeadlineReached,
          deadline: S.homeVisitDeadlinePassed,
          answered: S.homeVisitDone,
          count: S.countHomeVisitRound,
          left: S.homeVisitRoundsLeft,
        },
        'home-visit',
        humanStep(S.homeVisit, fn.homeVisit, Timeout.at('$.timer.seconds'), JsonPath.DISCARD),
      ),
      [
        {
          error: WORKFLOW_ERRORS.homeVisitDeclined,
          next: outcome(S.outcomeHomeVisitDeclined, 'home-visit-declined'),
        },
        { error: STEP_DEADLINE_PASSED, next: outcome(S.outcomeNoHomeVisit, 'no-home-visit') },
      ],
    );
    homeVisit.next(sessions);
    const followUp = guard(work(S.followUp, fn.followUp, { referralId, op: 'start' }, '$.followUp'));
    intake.next(screening);
    // Consent and the wait for a group continue in the next execution: screening's rounds fill this one.
    screening.next(
      new Choice(this, S.screeningDecision)
        .when(
          Condition.stringEquals('$.screening.decision', 'information-requested'),
          countInformationRequest,
        )
        .otherwise(continueAt(S.continueToConsent, 'consent')),
    );
    // A retry of a referral that needed attention starts a new execution at the phase that failed.
    const resumeAt = (phase: string) =>
      Condition.and(Condition.isPresent('$.resumeAt'), Condition.stringEquals('$.resumeAt', phase));
    const definition = countFromZero.next(
      new Choice(this, S.startOrResume)
        .when(resumeAt('screening'), screening)
        .when(resumeAt('consent'), planConsent)
        .when(resumeAt('group-assignment'), groupAssignment)
        // The group's execution: the home visit first (a recorded visit is replayed at once), then Sessions.
        .when(resumeAt('sessions'), homeVisit)
        .when(resumeAt('follow-up'), followUp)
        // Closed (a retry after Close failed): Close again; it is idempotent and records the due erasure.
        .when(resumeAt('closed'), close)
        .otherwise(intake),
    );
    groupAssignment.next(continueAt(S.continueInGroup, 'sessions'));
    sessions.next(continueAt(S.continueToFollowUp, 'follow-up'));
    // The follow-up: every event (each questionnaire's reminders and end, the summary, the later follow-up)
    // is an instant counted from when the first questionnaire went out (`followUpEvents`), carried out in
    // order inside one window, a Parallel with one branch, so that its whole length has one bound. A
    // silent family ends it the same way an answering one does: completed.
    const followUpEvent = work(
      S.followUpEvent,
      fn.followUp,
      {
        referralId,
        op: 'event',
        index: JsonPath.numberAt('$.loops.followUpEvents'),
        startedAt: JsonPath.stringAt('$.followUp.startedAt'),
      },
      '$.followUp',
    );
    const untilFollowUpEvent = new Wait(this, S.untilFollowUpEvent, {
      time: WaitTime.timestampPath('$.followUp.nextAt'),
    });
    const followUpEnded = new Succeed(this, S.followUpEnded);
    const nextFollowUpEvent = countOne(S.countFollowUpEvent, 'followUpEvents', ['followUpEvents']).next(
      new Choice(this, S.followUpEventsLeft)
        .when(
          Condition.numberGreaterThanEquals('$.loops.followUpEvents', LOOP_LIMITS.followUpEvents),
          followUpEnded,
        )
        .otherwise(untilFollowUpEvent),
    );
    const followUpWindow = guard(new Parallel(this, S.followUpWindow, { resultPath: JsonPath.DISCARD }));
    followUpWindow.branch(
      Chain.start(
        new Pass(this, S.followUpWindowStart, {
          result: Result.fromObject({ followUpEvents: 0 }),
          resultPath: '$.loops',
        }),
      )
        .next(untilFollowUpEvent)
        .next(followUpEvent)
        .next(
          new Choice(this, S.followUpOver)
            .when(Condition.booleanEquals('$.followUp.done', true), followUpEnded)
            .otherwise(nextFollowUpEvent),
        ),
    );
    followUp.next(followUpWindow).next(outcome(S.outcomeCompleted, 'completed'));

    this.stateMachine = standardStateMachine(this, {
      name: props.stateMachineName,
      role: 'referral',
      definition,
      comment:
        'A referral of a foster-placed child to a Bris support group: up to four executions in turn (see the code).',
      timeout: Duration.days(REFERRAL_EXECUTION_TIMEOUT_DAYS),
      logKey: props.logKey,
    });
  }
}
