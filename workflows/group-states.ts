/** State names of the group workflow (unique across both state machines: the local runtime relies on it). */
export const GROUP_STATES = {
  startOrResumeGroup: 'StartOrResumeGroup',
  placeMembers: 'PlaceMembers',
  groupFormed: 'GroupFormed',
  groupNotFormed: 'GroupNotFormed',
  resumeSchedule: 'ResumeSchedule',
  scheduleGroup: 'ScheduleGroup',
  meetings: 'Meetings',
  untilReminder: 'UntilReminder',
  remindCarers: 'RemindCarers',
  untilMeetingEnds: 'UntilMeetingEnds',
  attendanceWindow: 'AttendanceWindow',
  attendanceWindowStart: 'AttendanceWindowStart',
  attendanceTimer: 'AttendanceTimer',
  recordAttendance: 'RecordAttendance',
  attendanceTimeElapsed: 'AttendanceTimeElapsed',
  attendanceDeadlineReached: 'AttendanceDeadlineReached',
  countAttendanceRound: 'CountAttendanceRound',
  attendanceRoundsLeft: 'AttendanceRoundsLeft',
  attendanceRecorded: 'AttendanceRecorded',
  attendanceDeadlinePassed: 'AttendanceDeadlinePassed',
  attendanceNotRecorded: 'AttendanceNotRecorded',
  meetingDone: 'MeetingDone',
  meetingFailed: 'MeetingFailed',
  meetingNeedsAttention: 'MeetingNeedsAttention',
  completeGroup: 'CompleteGroup',
  groupCompleted: 'GroupCompleted',
  failedAtSchedule: 'FailedAtSchedule',
  failedAtMeetings: 'FailedAtMeetings',
  failedAtResumedMeetings: 'FailedAtResumedMeetings',
  failedAtCompletion: 'FailedAtCompletion',
  recordGroupFailure: 'RecordGroupFailure',
  groupNeedsAttention: 'GroupNeedsAttention',
} as const;

/** Raised inside a meeting's attendance window at its final deadline; the window's Catch lets the group go on. */
export const ATTENDANCE_DEADLINE_PASSED = 'Group.AttendanceDeadlinePassed';

/** A meeting's task failed: its iteration ends with this error and the meeting's index as the Cause. */
export const MEETING_FAILED = 'Group.MeetingFailed';
