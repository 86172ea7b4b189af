/** Attendance at one meeting of a group, per child; listed in meeting order. */
import * as z from 'zod/mini';
import type { AttendanceEntry, AttendanceRecord } from '../../ports';
import { batchWrite, queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const attendanceSchema = () =>
  z.looseObject({
    groupId: z.string(),
    meeting: z.number(),
    referralId: z.string(),
    present: z.boolean(),
    at: z.string(),
    recordedBy: z.string(),
  });
export const readAttendance = reader<AttendanceRecord>('attendance', attendanceSchema);

export async function recordAttendance(t: Table, entries: AttendanceEntry[]): Promise<void> {
  // Neither write is conditional (a repeat replaces the record, and its event with it), so both go in
  // one batch: the attendance under the group, the event under the child's referral, as appendAudit
  // keys a once-only event.
  await batchWrite(
    t,
    entries.flatMap(({ record: r, event, onceKey }) => [
      { put: { ...key.attendance(r.groupId, r.meeting, r.referralId), entity: 'attendance', ...r } },
      { put: { ...key.auditOnce(event.referralId, onceKey), entity: 'audit', ...event } },
    ]),
  );
}

export async function listAttendance(t: Table, groupId: string): Promise<AttendanceRecord[]> {
  return (await queryPartition(t, partition.group(groupId), sortPrefix.attendance)).map(readAttendance);
}
