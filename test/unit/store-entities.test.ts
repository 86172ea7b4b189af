/**
 * The entity readers of the DynamoDB store (functions/store/entities): an item read from the table is
 * parsed with its entity's schema, never cast; the table's own attributes are removed; a malformed item
 * is an error naming the entity and its key.
 */
import { describe, expect, it } from 'vitest';
import { TIME_TO_LIVE_ATTRIBUTE } from '../../functions/adapters/time-to-live';
import { readAttendance } from '../../functions/store/entities/attendance';
import { readGroup } from '../../functions/store/entities/group';
import { readReferral } from '../../functions/store/entities/referral';
import { readSession } from '../../functions/store/entities/session';
import { MalformedItemError } from '../../functions/store/io';
import { key } from '../../functions/store/table';

const T0 = '2026-11-23T09:00:00.000Z';

describe('entity readers', () => {
  it('return the item without keys, index attributes, entity and TTL, unknown fields kept', () => {
    const session = { email: 'a@example.se', name: 'A', role: 'coordinator', expiresAt: T0, extra: 1 };
    expect(
      readSession({ ...key.session('s-1'), entity: 'session', [TIME_TO_LIVE_ATTRIBUTE]: 123, ...session }),
    ).toEqual(session);
  });

  it('hide the seat bookkeeping of a group', () => {
    const group = {
      partnershipId: 'p',
      groupId: 'g-1',
      name: 'G',
      format: 'weekly',
      ageBand: '10-12',
      status: 'forming',
      capacity: 8,
      memberCount: 1,
    };
    expect(
      readGroup({ ...key.group('p', 'g-1'), entity: 'group', ...group, seatedReferrals: new Set(['R-1']) }),
    ).toEqual(group);
  });

  it('read an erased referral (the anonymised record under the same key)', () => {
    const item = {
      ...key.referral('R-1'),
      entity: 'referral-anonymised',
      referralId: 'R-1',
      partnershipId: 'p',
      district: 'Farsta',
      createdAt: T0,
      closedAt: T0,
      status: 'erased',
    };
    expect(readReferral(item)).toMatchObject({ referralId: 'R-1', status: 'erased' });
  });

  it('refuse a malformed item, naming the entity, its key and the field', () => {
    const item = {
      ...key.attendance('g-1', 2, 'R-1'),
      entity: 'attendance',
      groupId: 'g-1',
      meeting: 2,
      referralId: 'R-1',
      present: 'yes',
      at: T0,
      recordedBy: 'leader',
    };
    let error: unknown;
    try {
      readAttendance(item);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedItemError);
    expect(error).toMatchObject({ entity: 'attendance', key: { PK: 'GROUP#g-1', SK: 'ATTENDANCE#02#R-1' } });
    expect((error as Error).message).toMatch(
      /^Malformed attendance item in the table \(PK GROUP#g-1, SK ATTENDANCE#02#R-1\): [\s\S]*present/,
    );
  });

  it('refuse a referral without its status', () => {
    expect(() =>
      readReferral({
        ...key.referral('R-2'),
        referralId: 'R-2',
        partnershipId: 'p',
        district: 'd',
        createdAt: T0,
      }),
    ).toThrow(/Malformed referral item in the table \(PK REFERRAL#R-2, SK REFERRAL\)[\s\S]*status/);
  });
});
