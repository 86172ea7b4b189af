/**
 * What a signed-in person may see on the staff pages. A coordinator: every referral and its notes. A
 * social worker: the referrals of the district she is configured for (the partnership's allow-list),
 * and every referral she made herself, wherever it is; the notes (free text: decline and withdrawal
 * reasons, questionnaire comments) only on the referrals she made. A partnership administrator: the
 * report only, no referral.
 */
import type { StaffRole } from './partnership';
import type { Referral } from './referral';

export interface StaffViewer {
  email: string;
  role: StaffRole;
  /** Absent for a social worker who signs in because she made referrals (not on the allow-list). */
  district?: string;
}

type Visible = Pick<Referral, 'district' | 'socialWorker'>;

export const sameAddress = (a: string, b: string): boolean =>
  a.trim().toLowerCase() === b.trim().toLowerCase();

/** The social worker who made this referral (by the address she gave in the form). */
export function referredBy(viewer: StaffViewer, r: Pick<Referral, 'socialWorker'>): boolean {
  return viewer.role === 'social-worker' && sameAddress(viewer.email, r.socialWorker.email);
}

export function maySeeReferral(viewer: StaffViewer, r: Visible): boolean {
  switch (viewer.role) {
    case 'coordinator':
      return true;
    case 'partnership-admin':
      return false;
    case 'social-worker':
      return (!!viewer.district && r.district === viewer.district) || referredBy(viewer, r);
  }
}

export function mayReadNotes(viewer: StaffViewer, r: Visible): boolean {
  return viewer.role === 'coordinator' || referredBy(viewer, r);
}
