/** State names of the group workflow (unique across both state machines: the local runtime relies on it). */
export const GROUP_STATES = {
  scheduleGroup: 'ScheduleGroup',
  sendSchedule: 'SendSchedule',
  meetings: 'Meetings',
  untilReminder: 'UntilReminder',
  remindCarers: 'RemindCarers',
  untilMeetingEnds: 'UntilMeetingEnds',
  recordAttendance: 'RecordAttendance',
  attendanceNotRecorded: 'AttendanceNotRecorded',
  meetingDone: 'MeetingDone',
  completeGroup: 'CompleteGroup',
  groupCompleted: 'GroupCompleted',
  recordGroupFailure: 'RecordGroupFailure',
  groupNeedsAttention: 'GroupNeedsAttention',
} as const;

/** How long the leader has to record attendance before the group goes on without it. */
export const ATTENDANCE_TIMEOUT_SECONDS = 14 * 24 * 3600;
