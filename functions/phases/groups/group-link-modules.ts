/**
 * The groups phase's links, which belong to no one referral and so are viewed and answered by the phase
 * as a whole: the coordinator's group proposal for an age band's pool (a link action), and the group
 * leader's attendance for one meeting (the link of the group's attendance wait). Their schemas and what
 * their answers do are in group-links.ts (`groupProposalAnswer`, `attendanceAnswer`), their pages in
 * pages.ts. They live apart from the step modules (group-steps.ts) because confirming a group plans its
 * meetings around the holiday calendar, which only the links and staff functions should bundle.
 */
import type { LinkAction, OwnLink } from '../../kernel/link-module';
import { redeemAttendanceLink, redeemProposalLink } from './group-links';
import {
  attendanceView,
  namedMembers,
  proposalView,
  readAttendance,
  readPoolEntries,
  refusal,
  type AttendanceReads,
  type PoolEntryReads,
  type GroupLinkResult,
} from './groups';
import { groupLinkPage } from './pages';

export const groupProposalLink: LinkAction = {
  purpose: 'group-proposal',
  answeredBy: ['coordinator'],
  phase: 'group-assignment',
  own: {
    view: async (deps, link) => refusal(deps, link) ?? (await proposalView(deps, link)),
    // The whole pool (it is the partnership's, not the link's), read beside the link.
    prefetch: (deps) => readPoolEntries(deps),
    redeem: (deps, link, body, pool) => redeemProposalLink(link, body, deps, pool),
    page: groupLinkPage,
  } satisfies OwnLink<GroupLinkResult, PoolEntryReads>,
  // No renewal: the pool of every band is always open in the coordinator's inbox (/staff/tasks), and the
  // planner mails a new proposal when one is due.
};

/** Attendance is recorded through its group's link; it is not renewed (the inbox has it too). */
export const attendanceLinks: OwnLink<GroupLinkResult, AttendanceReads> = {
  view: async (deps, link) => refusal(deps, link) ?? (await attendanceView(deps, link)),
  // The group, its members (those the form names among them) and its attendance, beside the link's read.
  prefetch: (deps, groupId, body) => readAttendance(deps, groupId, namedMembers(body)),
  redeem: (deps, link, body, prefetched) => redeemAttendanceLink(link, body, deps, prefetched),
  page: groupLinkPage,
};
