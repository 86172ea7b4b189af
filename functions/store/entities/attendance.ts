/** Attendance at one meeting of a group, per child; listed in meeting order. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { AttendanceRecord } from '../../ports';
import { queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const attendanceSchema = z.looseObject({
  groupId: z.string(),
  meeting: z.number(),
  referralId: z.string(),
  present: z.boolean(),
  at: z.string(),
  recordedBy: z.string(),
});
export const readAttendance = reader<AttendanceRecord>('attendance', attendanceSchema);

export async function recordAttendance(t: Table, r: AttendanceRecord): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { ...key.attendance(r.groupId, r.meeting, r.referralId), entity: 'attendance', ...r },
    }),
  );
}

export async function listAttendance(t: Table, groupId: string): Promise<AttendanceRecord[]> {
  return (await queryPartition(t, partition.group(groupId), sortPrefix.attendance)).map(readAttendance);
}
