/**
 * The task inbox's pages. A task's own page is the emailed link's page (the same form, the same texts),
 * shown inside the staff navigation and posting to the inbox instead of to /links.
 */
import { randomBytes } from 'node:crypto';
import { errorsInLanguage } from '../../domain/messages';
import type { Language } from '../../domain/referral';
import type { AnyStepAction } from '../../domain/steps';
import type { LinkRecord, StaffSession } from '../../ports';
import type { GroupLinkResult } from '../groups/groups';
import { groupLinkPage } from '../groups/pages';
import { staffLanguage } from '../../web/audit-labels';
import { linkPage } from '../../web/pages/link-pages';
import { HUMAN_STEP_MODULES } from '../human-steps';
import { html } from '../../web/html';
import { staffDateTime } from './language';
import { asStaffLayout } from '../../web/layout';
import { staffNav, staffPage, staffTop, tableRegion } from './pages';
import type { InboxTask, StepTask } from './tasks';

/** Stands for a link token in the link pages' form actions, which are then pointed at the inbox. */
const MARK = 'STAFF-INBOX-ACTION';
const MAIN = '<main id="main" tabindex="-1">';
const INBOX = '/staff/tasks';

const SV = {
  myTasks: 'Mina uppgifter',
  backToTasks: 'Tillbaka till Mina uppgifter',
  intro:
    'Öppna steg som väntar på dig. Du gör samma sak här som med länken i mejlet, även om länken har gått ut eller kommit bort.',
  count: (n: number, overdue: number) =>
    `${n} ${n === 1 ? 'uppgift' : 'uppgifter'}${overdue ? `, varav ${overdue} försenade` : ''}.`,
  order: 'Försenade först, sedan efter sista dag.',
  task: 'Uppgift',
  reference: 'Ärende',
  child: 'Barn',
  due: 'Sista dag',
  overdue: '(försenad)',
  none: 'Du har inga öppna uppgifter just nu.',
  gone: {
    used: {
      title: 'Uppgiften är redan gjord',
      text: 'Steget har redan besvarats, här eller med länken i mejlet. Ingenting har ändrats nu.',
    },
    closed: {
      title: 'Steget är inte längre öppet',
      text: 'Det här steget behöver inte längre något svar, till exempel för att ärendet har gått vidare.',
    },
    unknown: { title: 'Finns inte', text: 'Det finns ingen sådan uppgift.' },
    'try-again': {
      title: 'Försök igen om en liten stund',
      text: 'Svaret kunde inte tas emot just nu. Ingenting har ändrats. Försök igen om en minut.',
    },
  },
};

const EN: typeof SV = {
  myTasks: 'My tasks',
  backToTasks: 'Back to My tasks',
  intro:
    'Open steps waiting for you. What you do here is the same as with the link in the email, even if the link has expired or been lost.',
  count: (n: number, overdue: number) =>
    `${n} ${n === 1 ? 'task' : 'tasks'}${overdue ? `, ${overdue} of them overdue` : ''}.`,
  order: 'Overdue first, then by due date.',
  task: 'Task',
  reference: 'Reference',
  child: 'Child',
  due: 'Due',
  overdue: '(overdue)',
  none: 'You have no open tasks right now.',
  gone: {
    used: {
      title: 'The task is already done',
      text: 'The step has already been answered, here or with the link in the email. Nothing was changed now.',
    },
    closed: {
      title: 'The step is no longer open',
      text: 'This step no longer needs an answer, for example because the referral has moved on.',
    },
    unknown: { title: 'Not found', text: 'There is no such task.' },
    'try-again': {
      title: 'Please try again in a moment',
      text: 'The answer could not be received just now. Nothing was changed. Try again in a minute.',
    },
  },
};

/** The inbox pages' words, per language. */
export const INBOX_TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

/**
 * A link page as a staff page: the wide layout with the staff navigation in the header, the language switch
 * first in the main column, the forms posting to `action`.
 */
function asStaffPage(session: StaffSession, rendered: string, action: string, here: string): string {
  if (!rendered.includes(MAIN)) throw new Error('The link page has no main element to put the navigation in');
  const lang = staffLanguage(session);
  return asStaffLayout(rendered, staffNav(session, lang, here))
    .replaceAll(`/links/${MARK}`, action)
    .replace(
      MAIN,
      `${MAIN}${staffTop(lang, here).value}${html`<p><a href="${INBOX}">${INBOX_TEXTS[lang].backToTasks}</a></p>`.value}`,
    );
}

/** The link as the signed-in person reads it: her name, her language. */
const asReader = (session: StaffSession, link: LinkRecord): LinkRecord => ({
  ...link,
  recipient: { ...link.recipient, name: session.name, language: staffLanguage(session) },
});

export function inboxPage(session: StaffSession, tasks: InboxTask[]): string {
  const lang = staffLanguage(session);
  const t = INBOX_TEXTS[lang];
  const overdue = tasks.filter((task) => task.overdue).length;
  return staffPage(
    t.myTasks,
    session,
    html`<h1>${t.myTasks}</h1>
      <p>${t.intro}</p>
      ${
        tasks.length
          ? tableRegion(
              'task-list',
              html`${t.count(tasks.length, overdue)} ${t.order}`,
              html`<thead>
                  <tr>
                    <th scope="col">${t.task}</th>
                    <th scope="col">${t.reference}</th>
                    <th scope="col">${t.child}</th>
                    <th scope="col">${t.due}</th>
                  </tr>
                </thead>
                <tbody>
                  ${tasks.map(
                    (task) =>
                      html`<tr data-testid="task">
                        <td><a href="${task.href}">${task.title}</a></td>
                        <td>${task.reference ?? ''}${task.district ? html`<br />${task.district}` : ''}</td>
                        <td>${task.childLabel ?? ''}</td>
                        <td>
                          ${staffDateTime(task.dueAt, lang)}${task.overdue ? html` <strong>${t.overdue}</strong>` : ''}
                        </td>
                      </tr>`,
                  )}
                </tbody>`,
            )
          : html`<p role="status">${t.none}</p>`
      }`,
    { here: INBOX },
  );
}

const GONE_STATUS = { used: 409, closed: 410, unknown: 404, 'try-again': 503 } as const;

export function goneTaskPage(
  session: StaffSession,
  reason: keyof typeof GONE_STATUS,
): { status: number; body: string } {
  const t = INBOX_TEXTS[staffLanguage(session)];
  const g = t.gone[reason];
  return {
    status: GONE_STATUS[reason],
    body: staffPage(
      g.title,
      session,
      html`<h1>${g.title}</h1>
        <p>${g.text}</p>
        <p><a href="${INBOX}">${t.backToTasks}</a></p>`,
      { here: INBOX },
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
  // As the role she answers in: the link's, or the one the step was escalated to (an overdue request).
  const link = asReader(session, {
    ...task.link,
    recipient: { ...task.link.recipient, role: task.actorRole ?? task.link.recipient.role },
  });
  const open = {
    link,
    referral: task.referral,
    retentionMonths: task.retentionMonths,
    partnership: task.partnership,
    page: HUMAN_STEP_MODULES[task.step].page,
  };
  const { status, body } = linkPage(
    MARK,
    errors
      ? { ...open, kind: 'invalid', errors: errorsInLanguage(errors, staffLanguage(session)) }
      : { ...open, kind: 'open' },
  );
  return { status, body: asStaffPage(session, body, action, action) };
}

export function stepDonePage(
  session: StaffSession,
  link: LinkRecord,
  action: AnyStepAction,
): { status: number; body: string } {
  const { status, body } = linkPage(MARK, { kind: 'done', link: asReader(session, link), action });
  return { status, body: asStaffPage(session, body, INBOX, INBOX) };
}

/** The pool's proposal form, the attendance form, or what became of them; a form id per proposal form. */
export function groupTaskPage(
  session: StaffSession,
  result: GroupLinkResult,
  action: string,
  formId?: string,
): { status: number; body: string } {
  if (result.kind === 'refused') return goneTaskPage(session, result.reason === 'used' ? 'used' : 'closed');
  const { status, body } = groupLinkPage(MARK, { ...result, link: asReader(session, result.link) });
  let out = asStaffPage(session, body, action, action);
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
