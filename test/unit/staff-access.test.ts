/** Who reads what on the staff pages: notes only for the coordinator and the social worker who referred. */
import { describe, expect, it } from 'vitest';
import { referralNotes, closingNote } from '../../functions/domain/notes';
import { mayReadNotes, maySeeReferral, type StaffViewer } from '../../functions/domain/staff-access';

const referral = { district: 'Farsta', socialWorker: { name: 'Olle', email: 'Olle@Farsta.example' } };
const coordinator: StaffViewer = { email: 'samordnare@bris.example', role: 'coordinator' };
const siv: StaffViewer = { email: 'siv@farsta.example', role: 'social-worker', district: 'Farsta' };
const sara: StaffViewer = { email: 'sara@skarpnack.example', role: 'social-worker', district: 'Skarpnäck' };
const olle: StaffViewer = { email: 'olle@farsta.example', role: 'social-worker' };
const kim: StaffViewer = { email: 'kim@kista.example', role: 'social-worker' };
const admin: StaffViewer = { email: 'uppfoljning@stockholm.example', role: 'partnership-admin' };

describe('staff access', () => {
  it('the coordinator sees and reads everything; the partnership administrator nothing', () => {
    expect([maySeeReferral(coordinator, referral), mayReadNotes(coordinator, referral)]).toEqual([
      true,
      true,
    ]);
    expect([maySeeReferral(admin, referral), mayReadNotes(admin, referral)]).toEqual([false, false]);
  });

  it('the social worker who referred sees and reads her referral, whatever her district (address case ignored)', () => {
    expect([maySeeReferral(olle, referral), mayReadNotes(olle, referral)]).toEqual([true, true]);
    const elsewhere = { ...referral, district: 'Skarpnäck' };
    expect(maySeeReferral({ ...olle, district: 'Farsta' }, elsewhere)).toBe(true);
  });

  it('a district colleague sees the referral but not its notes; others neither', () => {
    expect([maySeeReferral(siv, referral), mayReadNotes(siv, referral)]).toEqual([true, false]);
    expect([maySeeReferral(sara, referral), mayReadNotes(sara, referral)]).toEqual([false, false]);
    expect([maySeeReferral(kim, referral), mayReadNotes(kim, referral)]).toEqual([false, false]);
  });
});

describe('notes', () => {
  const r = {
    screening: { decision: 'declined' as const, reason: 'Skäl A', at: '2026-11-02T10:00:00Z' },
    withdrawal: {
      at: '2026-11-01T10:00:00Z',
      by: { role: 'custodian' as const, name: 'Vera' },
      reason: 'Skäl B',
    },
  };
  it('collects decline and withdrawal reasons and questionnaire comments, oldest first, by role', () => {
    const notes = referralNotes(r, [
      { round: 'first', respondent: 'child', scores: {}, freeText: 'Skäl C', at: '2026-11-03T10:00:00Z' },
      { round: 'first', respondent: 'carer', scores: {}, at: '2026-11-03T10:00:00Z' },
    ]);
    expect(notes.map((n) => [n.kind, n.by, n.text])).toEqual([
      ['withdrawal-reason', 'vårdnadshavare', 'Skäl B'],
      ['decline-reason', 'Bris samordnare', 'Skäl A'],
      ['questionnaire-comment', 'barnet (utvärdering)', 'Skäl C'],
    ]);
  });

  it('points the closing email to the note of its outcome only', () => {
    expect(closingNote(r, 'declined')).toBe('decline-reason');
    expect(closingNote(r, 'withdrawn')).toBe('withdrawal-reason');
    expect(closingNote(r, 'completed')).toBeUndefined();
    expect(closingNote({}, 'declined')).toBeUndefined();
  });
});
