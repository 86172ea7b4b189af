/**
 * The task inbox's pages. A task's own page is the emailed link's page (the same form, the same texts),
 * shown inside the staff navigation and posting to the inbox instead of to /links.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { AnyStepAction } from '../../domain/steps';
import type { LinkRecord, StaffSession } from '../../ports';
import type { GroupLinkResult } from '../groups/groups';
import { groupLinkPage } from '../groups/pages';
import { linkPage } from '../../web/pages/link-pages';
import { html } from '../../web/html';
import { staffNav, staffPage } from './pages';
import type { InboxTask, StepTask } from './tasks';

/** Stands for a link token in the link pages' form actions, which are then pointed at the inbox. */
const MARK = 'STAFF-INBOX-ACTION';
const MAIN = '<main id="main" tabindex="-1">';

const due = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }).toFormat('yyyy-LL-dd HH:mm');

/** A link page as a staff page: the staff navigation first, the forms posting to `action`. */
function asStaffPage(session: StaffSession, rendered: string, action: string): string {
  if (!rendered.includes(MAIN)) throw new Error('The link page has no main element to put the navigation in');
  return rendered
    .replaceAll(`/links/${MARK}`, action)
    .replace(
      MAIN,
      `${MAIN}${staffNav(session).value}<p><a href="/staff/tasks">Tillbaka till Mina uppgifter</a></p>`,
    );
}

export function inboxPage(session: StaffSession, tasks: InboxTask[]): string {
  const overdue = tasks.filter((t) => t.overdue).length;
  return staffPage(
    'Mina uppgifter',
    session,
    html`<h1>Mina uppgifter</h1>
      <p>
        Öppna steg som väntar på dig. Du gör samma sak här som med länken i mejlet, även om länken har gått ut
        eller kommit bort.
      </p>
      ${
        tasks.length
          ? html`<table>
              <caption>
                ${tasks.length}
                ${tasks.length === 1 ? 'uppgift' : 'uppgifter'}${overdue ? `, varav ${overdue} försenade` : ''}.
                Försenade först, sedan efter sista dag.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Uppgift</th>
                  <th scope="col">Ärende</th>
                  <th scope="col">Barn</th>
                  <th scope="col">Sista dag</th>
                </tr>
              </thead>
              <tbody>
                ${tasks.map(
                  (t) =>
                    html`<tr data-testid="task">
                      <td><a href="${t.href}">${t.title}</a></td>
                      <td>${t.reference ?? ''}${t.district ? html`<br />${t.district}` : ''}</td>
                      <td>${t.childLabel ?? ''}</td>
                      <td>${due(t.dueAt)}${t.overdue ? html` <strong>(försenad)</strong>` : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p role="status">Du har inga öppna uppgifter just nu.</p>`
      }`,
  );
}

const GONE = {
  used: {
    status: 409,
    title: 'Uppgiften är redan gjord',
    text: 'Steget har redan besvarats, här eller med länken i mejlet. Ingenting har ändrats nu.',
  },
  closed: {
    status: 410,
    title: 'Steget är inte längre öppet',
    text: 'Det här steget behöver inte längre något svar, till exempel för att ärendet har gått vidare.',
  },
  unknown: { status: 404, title: 'Finns inte', text: 'Det finns ingen sådan uppgift.' },
  'try-again': {
    status: 503,
    title: 'Försök igen om en liten stund',
    text: 'Svaret kunde inte tas emot just nu. Ingenting har ändrats. Försök igen om en minut.',
  },
} as const;

export function goneTaskPage(
  session: StaffSession,
  reason: keyof typeof GONE,
): { status: number; body: string } {
  const g = GONE[reason];
  return {
    status: g.status,
    body: staffPage(
      g.title,
      session,
      html`<h1>${g.title}</h1>
        <p>${g.text}</p>
        <p><a href="/staff/tasks">Tillbaka till Mina uppgifter</a></p>`,
    ),
  };
}

/** A step's form (screening, paper consent, escalation, attendance), as its link shows it. */
export function stepTaskPage(
  session: StaffSession,
  task: Exclude<StepTask, { kind: 'gone' }>,
  action: string,
  errors?: Record<string, string>,
): { status: number; body: string } {
  if (task.kind === 'attendance') {
    const view = errors ? { ...task.view, status: 400, errors } : task.view;
    return groupTaskPage(session, view, action);
  }
  const link = {
    ...task.link,
    recipient: { ...task.link.recipient, role: task.actorRole, name: session.name },
  };
  const open = { link, referral: task.referral, retentionMonths: task.retentionMonths };
  const { status, body } = linkPage(
    MARK,
    errors ? { ...open, kind: 'invalid', errors } : { ...open, kind: 'open' },
  );
  return { status, body: asStaffPage(session, body, action) };
}

export function stepDonePage(
  session: StaffSession,
  link: LinkRecord,
  action: AnyStepAction,
): { status: number; body: string } {
  const { status, body } = linkPage(MARK, { kind: 'done', link, action });
  return { status, body: asStaffPage(session, body, '/staff/tasks') };
}

/** The pool's proposal form, the attendance form, or what became of them; a form id per proposal form. */
export function groupTaskPage(
  session: StaffSession,
  result: GroupLinkResult,
  action: string,
  formId?: string,
): { status: number; body: string } {
  if (result.kind === 'refused') return goneTaskPage(session, result.reason === 'used' ? 'used' : 'closed');
  const { status, body } = groupLinkPage(MARK, result);
  let out = asStaffPage(session, body, action);
  if (result.kind === 'proposal') {
    // One confirmation per form: a second POST of the same form finds its proposal used.
    const id = formId ?? randomBytes(18).toString('base64url');
    out = out.replaceAll(
      /(<input type="hidden" name="action" value="(?:confirm|postpone)" \/>)/g,
      `$1<input type="hidden" name="formId" value="${id}" />`,
    );
  }
  return { status, body: out };
}
