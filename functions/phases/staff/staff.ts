/**
 * Staff: sign-in by an emailed link to an allow-listed address or to the address of a social worker who
 * made a referral, short sessions, and what each role may see (domain/staff-access.ts): a coordinator
 * every referral, a social worker her own district's and her own referrals (their notes only on her
 * own), a partnership administrator only the report (no personal data).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { onFirstUse } from '../../shared/on-first-use';
import { hashLinkToken, LINK_TOKEN_PATTERN, newLinkToken } from '../../adapters/link-tokens';
import type { AnonymisedReferral } from '../../domain/follow-up';
import { referralNotes, type Note } from '../../domain/notes';
import {
  groupNeedsAttention,
  type Group,
  type Partnership,
  type StaffMember,
} from '../../domain/partnership';
import { message } from '../../domain/messages';
import type { Language, Phase, Referral } from '../../domain/referral';
import { mayReadNotes, maySeeReferral, sameAddress } from '../../domain/staff-access';
import { monthlyTrend, partnershipReport, reportPeriod, type ReportRow } from '../../domain/report';
import type { AuditEvent, Dependencies, StaffSession } from '../../ports';
import { staffLanguage } from '../../web/audit-labels';
import { renderEmail } from '../../web/emails/render';
import { audit } from '../../kernel/audit';
import { partnershipOf } from '../../kernel/referrals';
import { staffSignIn } from './emails';
import { SIGN_IN_EMAIL_LIMITS } from '../../domain/send-limits';
import { addressHashOf, overSendLimit } from '../../kernel/send-limit';
import { METRICS } from '../../shared/metric-names';
import {
  GROUP_RETRY_ACTION,
  groupResumeOf,
  groupRetries,
  groupsNeedingAttention,
} from '../groups/group-retry';

export const SESSION_HOURS = 2;
export const SIGN_IN_MINUTES = 15;

export class ForbiddenError extends Error {}

const partnership = (deps: Dependencies) => partnershipOf(deps, { partnershipId: deps.config.partnershipId });
const sessionHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const signInSchema = onFirstUse(() =>
  z.object({
    email: z.pipe(
      z
        .string({ error: message({ sv: 'Fyll i din e-postadress.', en: 'Fill in your email address.' }) })
        .check(z.trim(), z.toLowerCase()),
      z.email({
        error: message({
          sv: 'Skriv e-postadressen som namn@exempel.se.',
          en: 'Write the email address as name@example.com.',
        }),
      }),
    ),
  }),
);

/** Referrals still on file (not erased), every district, newest first: Queries on GSI1, no Scan. */
export async function referralsOnFile(deps: Dependencies, p: Partnership): Promise<Referral[]> {
  const items = (await Promise.all(p.districts.map((d) => deps.store.listReferralsByDistrict(d)))).flat();
  return items.filter((i) => i.status !== 'erased') as unknown as Referral[];
}

/**
 * Who may sign in with an address. The partnership's allow-list (configuration: coordinators, district
 * social workers, the partnership's follow-up) comes first. Otherwise a social worker who made a
 * referral that is still on file signs in as a social worker without a district: she sees her own
 * referrals and their notes, nothing else. That account follows from the referrals themselves, so it
 * needs no write to the partnership item (in AWS that item is configuration, deployed and edited by
 * the partnership, and a form must not change who is on it), and it ends when her last referral is erased.
 */
async function staffMemberFor(
  deps: Dependencies,
  p: Partnership,
  email: string,
): Promise<StaffMember | undefined> {
  const listed = p.staff.find((s) => sameAddress(s.email, email));
  if (listed) return listed;
  const made = (await referralsOnFile(deps, p)).find((r) => sameAddress(r.socialWorker.email, email));
  return made && { email: email.trim().toLowerCase(), name: made.socialWorker.name, role: 'social-worker' };
}

/**
 * Always the same answer, so the page does not tell who may sign in. `language`: the sign-in page's; the
 * email is in the member's own language where the staff list sets one, else in the page's.
 */
export async function requestSignIn(email: string, language: Language, deps: Dependencies): Promise<void> {
  const p = await partnership(deps);
  const member = await staffMemberFor(deps, p, email);
  // Past the limits the answer is the same as for an unknown address, and nothing is sent; the audit keeps
  // only a keyed hash of the address asked for.
  const limited = member && (await overSignInLimit(deps, member.email));
  await audit(deps, {
    referralId: 'staff',
    actor: { role: 'unknown' },
    action: 'sign-in-requested',
    detail: limited
      ? { outcome: 'rate-limited', addressHash: limited.addressHash }
      : { outcome: member ? 'sent' : 'not-allowed' },
  });
  if (!member || limited) return;
  const { token, hash } = newLinkToken();
  const at = deps.wallClock.now();
  await deps.store.putLink({
    linkHash: hash,
    referralId: 'staff',
    step: 'sign-in',
    recipient: {
      role: member.role === 'social-worker' ? 'social-worker' : 'coordinator',
      name: member.name,
      email: member.email,
      // Carried to the session when the link is used: the pages are then in the language signed in with.
      language,
    },
    createdAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + SIGN_IN_MINUTES * 60_000).toISOString(),
    status: 'open',
    taskToken: '',
  });
  const url = `${deps.config.publicBaseUrl}/staff/sign-in/${token}`;
  await deps.email.send(
    renderEmail(
      member.email,
      staffSignIn(member, url, SIGN_IN_MINUTES, member.language ?? language),
      deps.config.publicBaseUrl,
    ),
  );
}

/** Counts this request in every window of the sign-in limits; the address's hash when one is exceeded. */
async function overSignInLimit(
  deps: Dependencies,
  email: string,
): Promise<{ addressHash: string } | undefined> {
  const addressHash = await addressHashOf(deps, 'sign-in', email);
  const limits = deps.config.signInEmailLimits ?? SIGN_IN_EMAIL_LIMITS;
  const over = await overSendLimit(deps, 'sign-in', addressHash, deps.wallClock.now(), limits);
  if (over) deps.metrics.count(METRICS.sendLimited);
  return over ? { addressHash } : undefined;
}

export type SignInResult =
  | { kind: 'ok'; token: string; maxAgeSeconds: number; language: Language }
  | { kind: 'refused'; reason: 'unknown' | 'used' | 'expired' };

/** GET shows a button; this is the POST behind it: single use, expiring, then a short session. */
export async function completeSignIn(
  token: string,
  deps: Dependencies,
  dryRun = false,
): Promise<SignInResult> {
  if (!LINK_TOKEN_PATTERN.test(token)) return { kind: 'refused', reason: 'unknown' };
  const link = await deps.store.getLink(hashLinkToken(token));
  if (!link || link.step !== 'sign-in') return { kind: 'refused', reason: 'unknown' };
  const now = deps.wallClock.now();
  if (link.status !== 'open') return { kind: 'refused', reason: 'used' };
  if (link.expiresAt <= now.toISOString()) return { kind: 'refused', reason: 'expired' };
  const language = link.recipient.language === 'en' ? 'en' : 'sv';
  if (dryRun) return { kind: 'ok', token: '', maxAgeSeconds: 0, language };
  if ((await deps.store.useLink(link.linkHash, now.toISOString(), 'sign-in')) !== 'ok')
    return { kind: 'refused', reason: 'used' };
  const member = await staffMemberFor(deps, await partnership(deps), link.recipient.email);
  if (!member) return { kind: 'refused', reason: 'unknown' };
  const session = randomBytes(32).toString('base64url');
  // The session and its audit event side by side: neither depends on the other (three round trips in all).
  await Promise.all([
    deps.store.putSession(sessionHash(session), {
      email: member.email,
      name: member.name,
      role: member.role,
      district: member.district,
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
      language,
    }),
    audit(deps, {
      referralId: 'staff',
      actor: { role: 'unknown', name: member.name },
      action: 'signed-in',
      detail: { role: member.role },
    }),
  ]);
  return { kind: 'ok', token: session, maxAgeSeconds: SESSION_HOURS * 3600, language };
}

/** The session of a session token (from the cookie), if it exists and has not expired. */
export async function sessionFrom(
  token: string | undefined,
  deps: Dependencies,
): Promise<StaffSession | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const session = await deps.store.getSession(sessionHash(token));
  if (!session || session.expiresAt <= deps.wallClock.now().toISOString()) return undefined;
  return session;
}

/** The session in another language, from now on (its expiry unchanged). */
export async function setSessionLanguage(
  token: string,
  session: StaffSession,
  language: Language,
  deps: Dependencies,
): Promise<StaffSession> {
  const changed = { ...session, language };
  await deps.store.putSession(sessionHash(token), changed);
  return changed;
}

/** Ends the session; returns its language, so that the sign-in page after it speaks the same. */
export async function signOut(token: string | undefined, deps: Dependencies): Promise<Language | undefined> {
  if (!token) return undefined;
  const session = await sessionFrom(token, deps);
  await deps.store.deleteSession(sessionHash(token));
  return session?.language;
}

// ---- Overview ---------------------------------------------------------------------------------------------

export const PROTECTED_IDENTITY: Record<Language, string> = {
  sv: 'Skyddade personuppgifter',
  en: 'Protected identity',
};

export interface OverviewRow {
  referralId: string;
  district: string;
  childLabel: string;
  age: number;
  phase: Phase;
  status: string;
  createdAt: string;
  failure?: { phase: Phase; error: string };
}

export async function overview(
  session: StaffSession,
  filters: { district?: string; phase?: string; status?: string },
  deps: Dependencies,
): Promise<{ rows: OverviewRow[]; districts: string[] }> {
  if (session.role === 'partnership-admin') throw new ForbiddenError('report only');
  const p = await partnership(deps);
  const visible = (await referralsOnFile(deps, p)).filter((r) => maySeeReferral(session, r));
  // The districts to filter by: all for a coordinator; her own and those of her own referrals for a social worker.
  const districts =
    session.role === 'coordinator'
      ? p.districts
      : p.districts.filter((d) => d === session.district || visible.some((r) => r.district === d));
  if (filters.district && !districts.includes(filters.district)) throw new ForbiddenError('district');
  const rows: OverviewRow[] = [];
  for (const r of visible) {
    if (filters.district && r.district !== filters.district) continue;
    if (filters.phase && r.phase !== filters.phase) continue;
    if (filters.status && r.status !== filters.status) continue;
    rows.push({
      referralId: r.referralId,
      district: r.district,
      childLabel: r.child.protectedIdentity ? PROTECTED_IDENTITY[staffLanguage(session)] : r.child.firstName,
      age: r.child.ageAtReferral,
      phase: r.phase,
      status: r.status,
      createdAt: r.createdAt,
      failure: r.failure ? { phase: r.failure.phase, error: r.failure.error } : undefined,
    });
  }
  return { rows: rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt)), districts };
}

/**
 * One referral with its audit trail, and its notes for those who may read them (the coordinator and the
 * social worker who made it); others see how many there are.
 */
export async function referralDetail(
  session: StaffSession,
  referralId: string,
  deps: Dependencies,
): Promise<{ referral: Referral; events: AuditEvent[]; notes: Note[] | { hidden: number } } | undefined> {
  // Read side by side, shown only once the referral says she may see it: one round trip, not three.
  const [referral, evaluations, events] = await Promise.all([
    deps.store.getReferral(referralId),
    deps.store.listEvaluations(referralId),
    deps.store.listAudit(referralId),
  ]);
  if (!referral || (referral as unknown as { status: string }).status === 'erased') return undefined;
  if (!maySeeReferral(session, referral)) throw new ForbiddenError('referral');
  const notes = referralNotes(referral, evaluations);
  return { referral, events, notes: mayReadNotes(session, referral) ? notes : { hidden: notes.length } };
}

/** A referral that needed attention goes on from the phase that failed, in a new execution. */
export async function retryReferral(
  session: StaffSession,
  referralId: string,
  deps: Dependencies,
): Promise<'retried' | 'not-needed' | 'not-possible'> {
  const detail = await referralDetail(session, referralId, deps);
  if (!detail) return 'not-possible';
  const { referral } = detail;
  if (referral.status !== 'needs-attention') return 'not-needed';
  if (referral.phase === 'closed') return 'not-possible';
  const at = deps.clock.now().toISOString();
  const attempt = detail.events.filter((e) => e.action === 'retry-requested').length + 1;
  await deps.store.updateReferral(referralId, { status: 'active', updatedAt: at });
  await audit(deps, {
    referralId,
    at,
    actor: { role: session.role === 'social-worker' ? 'social-worker' : 'coordinator', name: session.name },
    action: 'retry-requested',
    phase: referral.phase,
    detail: { attempt: String(attempt) },
  });
  await deps.workflow.resumeReferral(referralId, referral.phase, attempt);
  return 'retried';
}

/** The failed groups the coordinator sees on the overview, each with its retry; nobody else sees groups. */
export async function failedGroups(session: StaffSession, deps: Dependencies): Promise<Group[]> {
  return session.role === 'coordinator' ? groupsNeedingAttention(deps) : [];
}

/**
 * A group whose execution failed goes on from the step that failed, in a new execution named
 * `<groupId>-retry-<n>`: the coordinator's, as confirming the group was.
 */
export async function retryGroup(
  session: StaffSession,
  groupId: string,
  deps: Dependencies,
): Promise<'retried' | 'not-needed' | 'not-possible'> {
  if (session.role !== 'coordinator') throw new ForbiddenError('group');
  const group = await deps.store.getGroup(deps.config.partnershipId, groupId);
  if (!group) return 'not-possible';
  if (!group.failure || !groupNeedsAttention(group)) return 'not-needed';
  const at = deps.clock.now().toISOString();
  const attempt = (await groupRetries(deps, groupId)) + 1;
  const resume = groupResumeOf(group.failure);
  await deps.store.updateGroup(group.partnershipId, groupId, {
    failure: { ...group.failure, retriedAt: at },
  });
  // Once per attempt: a second click that read the same failure records no second retry.
  await audit(
    deps,
    {
      referralId: groupId,
      at,
      actor: { role: 'coordinator', name: session.name },
      action: GROUP_RETRY_ACTION,
      detail: { attempt: String(attempt), groupStep: group.failure.step },
    },
    `group-retry-${attempt}`,
  );
  await deps.workflow.resumeGroup(groupId, resume, attempt);
  return 'retried';
}

// ---- Report -----------------------------------------------------------------------------------------------

function reportRow(
  item: Record<string, unknown>,
  groups: Map<string, { format?: 'weekly' | 'weekend'; first?: string; scheduled?: number }>,
  attendance: Map<string, number>,
  scores: Map<string, Record<string, number>>,
): ReportRow {
  if (item.status === 'erased') {
    const a = item as unknown as AnonymisedReferral;
    return {
      district: a.district,
      createdAt: a.createdAt,
      screenedIn: a.screenedIn,
      consented: a.consented,
      placed: a.placed,
      outcome: a.outcome,
      format: a.format,
      firstMeetingAt: a.firstMeetingAt,
      attended: a.attendedMeetings,
      scheduled: a.scheduledMeetings,
      scores: a.answerScores,
    };
  }
  const r = item as unknown as Referral;
  const g = r.group ? groups.get(r.group.groupId) : undefined;
  return {
    district: r.district,
    createdAt: r.createdAt,
    screenedIn: r.screening?.decision === 'approved',
    consented: !!r.legalBasis,
    placed: !!r.group,
    outcome: r.outcome,
    format: g?.format,
    firstMeetingAt: g?.first,
    attended: attendance.get(r.referralId),
    scheduled: g?.scheduled,
    scores: scores.get(r.referralId),
  };
}

/**
 * The report for the period the query asks (each date defaulting to the partnership's period), or the
 * period's errors: an invalid or reversed period is shown at its field, never replaced by a default.
 */
export async function reportFor(
  session: StaffSession,
  query: { from?: string; to?: string },
  deps: Dependencies,
): Promise<
  | { ok: true; figures: Awaited<ReturnType<typeof report>> }
  | { ok: false; from: string; to: string; errors: Partial<Record<'from' | 'to', string>> }
> {
  const period = reportPeriod(query, await partnership(deps), deps.clock.now());
  if (!period.ok) return period;
  return { ok: true, figures: await report(session, period.from, period.to, deps) };
}

/** Figures per district for referrals made in [from, to]: Queries per district (GSI1), group and answers; no Scan. */
export async function report(session: StaffSession, from: string, to: string, deps: Dependencies) {
  const p = await partnership(deps);
  const districts =
    session.role === 'social-worker' ? p.districts.filter((d) => d === session.district) : p.districts;
  const items = (
    await Promise.all(
      districts.map((d) => deps.store.listReferralsByDistrict(d, from, `${to}T23:59:59.999Z~`)),
    )
  ).flat();
  const groups = new Map<string, { format?: 'weekly' | 'weekend'; first?: string; scheduled?: number }>();
  const attendance = new Map<string, number>();
  const scores = new Map<string, Record<string, number>>();
  const kept = items
    .map((item) => item as unknown as Referral & { status: string })
    .filter((r) => r.status !== 'erased');
  const groupIds = [...new Set(kept.flatMap((r) => (r.group ? [r.group.groupId] : [])))];
  // Every group, its attendance and every referral's answers in one round trip, not one after another.
  const [groupItems, attendanceLists, answerLists] = await Promise.all([
    Promise.all(groupIds.map((id) => deps.store.getGroup(p.id, id))),
    Promise.all(groupIds.map((id) => deps.store.listAttendance(id))),
    Promise.all(kept.map((r) => deps.store.listEvaluations(r.referralId))),
  ]);
  for (const [i, id] of groupIds.entries()) {
    const g = groupItems[i];
    groups.set(id, { format: g?.format, first: g?.meetings?.[0]?.startsAt, scheduled: g?.meetings?.length });
    for (const a of attendanceLists[i]!)
      if (a.present) attendance.set(a.referralId, (attendance.get(a.referralId) ?? 0) + 1);
  }
  for (const [i, r] of kept.entries()) {
    const answers = answerLists[i]!;
    if (answers.length)
      scores.set(
        r.referralId,
        Object.fromEntries(
          answers.map((a) => [
            `${a.round}-${a.respondent}`,
            Object.values(a.scores).reduce((x, y) => x + y, 0) / Object.values(a.scores).length,
          ]),
        ),
      );
  }
  const rows = items.map((i) => reportRow(i, groups, attendance, scores));
  return {
    from,
    to,
    ...partnershipReport(districts, rows),
    trend: monthlyTrend(rows, from, to, deps.clock.now()),
  };
}
