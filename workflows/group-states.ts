/** State names of the group workflow (unique across both state machines: the local runtime relies on it). */
export const GROUP_STATES = {
  scheduleGroup: 'ScheduleGroup',
  sendSchedule: 'SendSchedule',
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
  completeGroup: 'CompleteGroup',
  groupCompleted: 'GroupCompleted',
  recordGroupFailure: 'RecordGroupFailure',
  groupNeedsAttention: 'GroupNeedsAttention',
} as const;

/** Raised inside a meeting's attendance window at its final deadline; the window's Catch lets the group go on. */
export const ATTENDANCE_DEADLINE_PASSED = 'Group.AttendanceDeadlinePassed';
