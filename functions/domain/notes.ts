/**
 * Notes: what people wrote in free text about a referral (the coordinator's decline reason, the reason
 * given for a withdrawal, comments in the questionnaires). They are kept in the table and shown on the
 * staff page after sign-in, to the coordinator and to the social worker who made the referral; an email
 * only says that a note exists and links to that page (the link is no capability: the page asks for
 * sign-in). Emails never quote them.
 */
import type { EvaluationAnswer } from './follow-up';
import type { Outcome, Referral } from './referral';

/** The notes an email may point to (a closing email, the summary). */
export type NoteKind = 'decline-reason' | 'withdrawal-reason' | 'questionnaire-comment';
/** Every note the staff page shows: those, and an information request's note and answer. */
export type StaffNoteKind = NoteKind | 'information-request-note' | 'information-answer';

export interface Note {
  kind: StaffNoteKind;
  at: string;
  /** Who wrote it, as a role ("Bris samordnare", "vårdnadshavare 1"); never an address. */
  by: string;
  text: string;
}

const ROLE_LABEL: Record<string, string> = {
  coordinator: 'Bris samordnare',
  custodian: 'vårdnadshavare',
  'social-worker': 'socialsekreteraren',
  'group-leader': 'gruppledaren',
};

export function referralNotes(
  r: Pick<Referral, 'screening' | 'withdrawal' | 'informationRequests'>,
  answers: readonly EvaluationAnswer[] = [],
): Note[] {
  const notes: Note[] = [];
  for (const request of r.informationRequests ?? []) {
    if (request.note)
      notes.push({
        kind: 'information-request-note',
        at: request.requestedAt,
        by: 'Bris samordnare',
        text: request.note,
      });
    if (request.answer)
      notes.push({
        kind: 'information-answer',
        at: request.closedAt ?? request.requestedAt,
        by: 'socialsekreteraren',
        text: request.answer,
      });
  }
  if (r.screening?.decision === 'declined' && r.screening.reason)
    notes.push({
      kind: 'decline-reason',
      at: r.screening.at,
      by: 'Bris samordnare',
      text: r.screening.reason,
    });
  if (r.withdrawal?.reason)
    notes.push({
      kind: 'withdrawal-reason',
      at: r.withdrawal.at,
      by: ROLE_LABEL[r.withdrawal.by.role] ?? 'okänd',
      text: r.withdrawal.reason,
    });
  for (const a of answers)
    if (a.freeText)
      notes.push({
        kind: 'questionnaire-comment',
        at: a.at,
        by: `${a.respondent === 'child' ? 'barnet' : 'familjehemmet'} (${a.round === 'first' ? 'utvärdering' : 'senare uppföljning'})`,
        text: a.freeText,
      });
  return notes.sort((a, b) => a.at.localeCompare(b.at));
}

/** The note the closing email points to, if the outcome has one (a decline reason, a withdrawal reason). */
export function closingNote(
  r: Pick<Referral, 'screening' | 'withdrawal'>,
  outcome: Outcome,
): NoteKind | undefined {
  if (outcome === 'declined' && r.screening?.reason) return 'decline-reason';
  if (outcome === 'withdrawn' && r.withdrawal?.reason) return 'withdrawal-reason';
  return undefined;
}
