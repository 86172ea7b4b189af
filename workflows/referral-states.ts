/** State names of the referral workflow: shared by the CDK construct, the local runtime and tests. */
export const REFERRAL_STATES = {
  countFromZero: 'CountFromZero',
  startOrResume: 'StartOrResume',
  intake: 'Intake',
  screening: 'Screening',
  planConsent: 'PlanConsent',
  consentMode: 'ChildOrCustodians',
  collectConsents: 'CollectConsents',
  consentTimer: 'ConsentTimer',
  awaitConsent: 'AwaitConsent',
  consentTimeElapsed: 'ConsentTimeElapsed',
  consentDeadlinePassed: 'ConsentDeadlinePassed',
  custodianConsented: 'CustodianConsented',
  custodianSilent: 'CustodianSilent',
  countConsentRound: 'CountConsentRound',
  consentRoundsLeft: 'ConsentRoundsLeft',
  countEscalation: 'CountEscalation',
  escalationsLeft: 'EscalationsLeft',
  continueToConsent: 'ContinueToConsent',
  continueInGroup: 'ContinueInGroup',
  continueToFollowUp: 'ContinueToFollowUp',
  continuedInNextExecution: 'ContinuedInNextExecution',
  evaluateConsent: 'EvaluateConsent',
  consentDecision: 'ConsentDecision',
  consentEscalation: 'ConsentEscalation',
  escalationChoice: 'EscalationChoice',
  groupAssignment: 'GroupAssignment',
  sessions: 'Sessions',
  followUp: 'FollowUp',
  followUpWindow: 'FollowUpWindow',
  followUpWindowStart: 'FollowUpWindowStart',
  untilFollowUpEvent: 'UntilFollowUpEvent',
  followUpEvent: 'FollowUpEvent',
  followUpOver: 'FollowUpOver',
  countFollowUpEvent: 'CountFollowUpEvent',
  followUpEventsLeft: 'FollowUpEventsLeft',
  followUpEnded: 'FollowUpEnded',
  outcomeCompleted: 'OutcomeCompleted',
  outcomeDeclined: 'OutcomeDeclined',
  outcomeConsentRefused: 'OutcomeConsentRefused',
  outcomeConsentNotObtained: 'OutcomeConsentNotObtained',
  outcomeWithdrawn: 'OutcomeWithdrawn',
  outcomeNoGroup: 'OutcomeNoGroup',
  outcomeNotScreened: 'OutcomeNotScreened',
  outcomeHomeVisitDeclined: 'OutcomeHomeVisitDeclined',
  outcomeNoHomeVisit: 'OutcomeNoHomeVisit',
  homeVisitWindow: 'HomeVisitWindow',
  homeVisitWindowStart: 'HomeVisitWindowStart',
  homeVisitTimer: 'HomeVisitTimer',
  homeVisit: 'HomeVisit',
  homeVisitTimeElapsed: 'HomeVisitTimeElapsed',
  homeVisitDeadlineReached: 'HomeVisitDeadlineReached',
  homeVisitDeadlinePassed: 'HomeVisitDeadlinePassed',
  homeVisitDone: 'HomeVisitDone',
  countHomeVisitRound: 'CountHomeVisitRound',
  homeVisitRoundsLeft: 'HomeVisitRoundsLeft',
  screeningWindow: 'ScreeningWindow',
  screeningWindowStart: 'ScreeningWindowStart',
  screeningDeadlineReached: 'ScreeningDeadlineReached',
  screeningAnswered: 'ScreeningAnswered',
  screeningTimer: 'ScreeningTimer',
  screeningTimeElapsed: 'ScreeningTimeElapsed',
  screeningDeadlinePassed: 'ScreeningDeadlinePassed',
  countScreeningRound: 'CountScreeningRound',
  screeningRoundsLeft: 'ScreeningRoundsLeft',
  poolWindow: 'PoolWindow',
  poolWindowStart: 'PoolWindowStart',
  poolTimer: 'PoolTimer',
  poolTimeElapsed: 'PoolTimeElapsed',
  poolDeadlineReached: 'PoolDeadlineReached',
  poolDeadlinePassed: 'PoolDeadlinePassed',
  countPoolRound: 'CountPoolRound',
  poolRoundsLeft: 'PoolRoundsLeft',
  placedInGroup: 'PlacedInGroup',
  screeningDecision: 'ScreeningDecision',
  countInformationRequest: 'CountInformationRequest',
  informationRequestsLeft: 'InformationRequestsLeft',
  tooManyInformationRequests: 'TooManyInformationRequests',
  informationRequestWindow: 'InformationRequestWindow',
  informationRequestWindowStart: 'InformationRequestWindowStart',
  informationRequestDeadlineReached: 'InformationRequestDeadlineReached',
  informationRequestAnswered: 'InformationRequestAnswered',
  informationRequestTimer: 'InformationRequestTimer',
  informationRequest: 'InformationRequest',
  informationRequestTimeElapsed: 'InformationRequestTimeElapsed',
  informationRequestDeadlinePassed: 'InformationRequestDeadlinePassed',
  countInformationRequestRound: 'CountInformationRequestRound',
  informationRequestRoundsLeft: 'InformationRequestRoundsLeft',
  escalationWindow: 'EscalationWindow',
  escalationWindowStart: 'EscalationWindowStart',
  escalationDeadlineReached: 'EscalationDeadlineReached',
  escalationAnswered: 'EscalationAnswered',
  escalationTimer: 'EscalationTimer',
  escalationTimeElapsed: 'EscalationTimeElapsed',
  escalationDeadlinePassed: 'EscalationDeadlinePassed',
  countEscalationRound: 'CountEscalationRound',
  escalationRoundsLeft: 'EscalationRoundsLeft',
  close: 'Close',
  closed: 'Closed',
  recordFailure: 'RecordFailure',
  needsAttention: 'NeedsAttention',
} as const;

/** Raised inside a step window at its final deadline; the window's Catch ends the step with its outcome. */
export const STEP_DEADLINE_PASSED = 'Referral.StepDeadlinePassed';

/**
 * More information requests than the screening answer allows (it refuses the one past the limit): a program
 * error, recorded as needs-attention, never reached by a person's silence.
 */
export const TOO_MANY_INFORMATION_REQUESTS = 'Referral.TooManyInformationRequests';

/**
 * Errors a task may raise that are worth retrying: the Lambda service's own failures (5xx, throttled
 * invocation, and ClientExecutionTimeoutException, which AWS lists among the errors to retry on every
 * Lambda task), and Referral.Transient, to which the task handler maps throttling (SES's
 * TooManyRequestsException, DynamoDB's ProvisionedThroughputExceededException, …), 5xx and network errors
 * (`isTransient` in functions/shared/errors.ts).
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Referral.Transient',
];

/**
 * Human-step timeouts (seconds) of the waits that have no clock; longer than a link's 14 days, so an
 * expired link can still be renewed. The other steps wait on their clocks (kernel/step-clock.ts).
 */
export const HUMAN_STEP_TIMEOUT_SECONDS = {
  /** A weekly group runs 8 weeks (more with holidays); a support weekend ends with a follow-up Saturday weeks later. */
  sessions: 180 * 24 * 3600,
} as const;
