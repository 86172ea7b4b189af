/**
 * Contract of the email adapters. In AWS the SES adapter is the only thing between an EmailMessage and
 * the recipient, and nothing runs it before a deploy: these tests pin the exact SESv2 SendEmail request
 * (a Simple message with Headers and Attachments, as the SESv2 API reference defines them), and check that
 * the SMTP adapter the local runtime uses delivers the same email, so the local mailbox shows what SES sends.
 */
import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../../functions/adapters/email-ses';
import { SmtpEmailSender } from '../../../functions/adapters/email-smtp';
import type { Group } from '../../../functions/domain/partnership';
import type { EmailMessage, EmailSender } from '../../../functions/ports';
import { withNotificationId } from '../../../functions/shared/notification-context';
import { scheduleCalendar } from '../../../functions/phases/groups/emails';
import { Mailbox, MailboxEmailSender } from '../../../infra/local/mailbox';

const FROM = 'stodgrupper@bris.example';
const CONFIGURATION_SET = 'bris-referrals';

const group = {
  groupId: 'g-7-9-farsta-1',
  meetings: [
    { index: 1, kind: 'weekly', startsAt: '2030-02-04T15:00:00.000Z', endsAt: '2030-02-04T16:30:00.000Z' },
    { index: 2, kind: 'weekly', startsAt: '2030-02-11T15:00:00.000Z', endsAt: '2030-02-11T16:30:00.000Z' },
  ],
} as Group;
const calendar = scheduleCalendar(group, { name: 'Bris Söder', address: 'Götgatan 1' });

/** What the group schedule sends: Swedish text in subject, bodies and the calendar file. */
const schedule: EmailMessage = {
  to: 'familjehem@example.org',
  subject: 'Schema för Bris stödgrupp: veckogrupp',
  text: 'Hej! Träffarna hålls i Bris Söder.',
  html: '<p>Hej! Träffarna hålls i Bris Söder.</p>',
  template: 'group-schedule-carer',
  language: 'sv',
  attachments: [
    {
      filename: 'bris-stodgrupp.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      content: calendar,
    },
  ],
};

/** What a recipient gets, in one shape for both transports. */
interface Delivered {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  template: string;
  language: string;
  attachments: { filename: string; mediaType: string; content: string }[];
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/** Reads a SendEmail request the way SES builds the email from it. */
function deliveredBySes(input: SendEmailCommandInput): Delivered {
  const simple = input.Content!.Simple!;
  const header = (name: string) => simple.Headers?.find((h) => h.Name === name)?.Value ?? '';
  return {
    from: input.FromEmailAddress!,
    to: input.Destination!.ToAddresses!,
    subject: simple.Subject!.Data!,
    text: simple.Body!.Text!.Data!,
    html: simple.Body!.Html!.Data!,
    template: header('X-Bris-Template'),
    language: header('Content-Language'),
    attachments: (simple.Attachments ?? []).map((a) => ({
      filename: a.FileName!,
      mediaType: mediaType(a.ContentType!),
      content: new TextDecoder().decode(a.RawContent),
    })),
  };
}

const expected = (m: EmailMessage): Delivered => ({
  from: FROM,
  to: [m.to],
  subject: m.subject,
  text: m.text,
  html: m.html,
  template: m.template,
  language: m.language,
  attachments: (m.attachments ?? []).map((a) => ({
    filename: a.filename,
    mediaType: mediaType(a.contentType),
    content: a.content,
  })),
});

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());
afterAll(() => ses.restore());

describe('SES adapter: the SendEmail request', () => {
  const sender = () => new SesEmailSender(new SESv2Client({ region: 'eu-north-1' }), FROM, CONFIGURATION_SET);
  const sent = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);

  it('sends one Simple message: sender, recipient, configuration set, UTF-8 subject and bodies, headers, the .ics', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    await withNotificationId('R-ABCD-EFGH:group-schedule', () => sender().send(schedule));
    expect(sent()).toEqual([
      {
        FromEmailAddress: FROM,
        Destination: { ToAddresses: ['familjehem@example.org'] },
        ConfigurationSetName: CONFIGURATION_SET,
        // The referral as a tag (a code): a bounce or complaint event carries it back to the referral.
        EmailTags: [
          { Name: 'template', Value: 'group-schedule-carer' },
          { Name: 'referral', Value: 'R-ABCD-EFGH' },
        ],
        Content: {
          Simple: {
            Subject: { Data: schedule.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: schedule.text, Charset: 'UTF-8' },
              Html: { Data: schedule.html, Charset: 'UTF-8' },
            },
            Attachments: [
              {
                FileName: 'bris-stodgrupp.ics',
                ContentType: 'text/calendar; charset=utf-8; method=PUBLISH',
                RawContent: new TextEncoder().encode(calendar),
                // SESv2 writes an attachment as SEVEN_BIT unless told otherwise; the calendar is UTF-8
                // ("stödgrupp, träff"), so it must go as base64 to arrive unchanged.
                ContentTransferEncoding: 'BASE64',
              },
            ],
            Headers: [
              { Name: 'X-Bris-Template', Value: 'group-schedule-carer' },
              { Name: 'Content-Language', Value: 'sv' },
              { Name: 'X-Bris-Notification', Value: 'R-ABCD-EFGH:group-schedule.1' },
            ],
          },
        },
      },
    ]);
    // Only the Simple content type carries Attachments; a Raw or Template message would need its own MIME.
    expect(sent()[0]!.Content).not.toHaveProperty('Raw');
    expect(sent()[0]!.Content).not.toHaveProperty('Template');
  });

  it('names each email of one notification in order, the same again when the notification is repeated', async () => {
    ses.on(SendEmailCommand).resolves({});
    const notification = () =>
      withNotificationId('R-ABCD-EFGH:consent#2', async () => {
        await sender().send({ ...schedule, attachments: undefined });
        await sender().send({ ...schedule, attachments: undefined, to: 'vardnadshavare@example.org' });
      });
    await notification();
    await notification(); // a crash after the mail server took them: the outbox sends them again
    const ids = sent().map(
      (i) => i.Content!.Simple!.Headers!.find((h) => h.Name === 'X-Bris-Notification')?.Value,
    );
    expect(ids).toEqual([
      'R-ABCD-EFGH:consent#2.1',
      'R-ABCD-EFGH:consent#2.2',
      'R-ABCD-EFGH:consent#2.1',
      'R-ABCD-EFGH:consent#2.2',
    ]);
  });

  it('sends no notification header and no attachments outside a notification, and no configuration set when none is set', async () => {
    ses.on(SendEmailCommand).resolves({});
    await new SesEmailSender(new SESv2Client({ region: 'eu-north-1' }), FROM).send({
      ...schedule,
      attachments: undefined,
      template: 'staff-sign-in',
    });
    const [input] = sent();
    expect(input!.ConfigurationSetName).toBeUndefined();
    // A staff member's email belongs to no referral: no referral tag.
    expect(input!.EmailTags).toEqual([{ Name: 'template', Value: 'staff-sign-in' }]);
    expect(input!.Content!.Simple!.Attachments).toBeUndefined();
    expect(input!.Content!.Simple!.Headers!.map((h) => h.Name)).toEqual([
      'X-Bris-Template',
      'Content-Language',
    ]);
  });

  it('keeps every header within what SESv2 MessageHeader accepts (printable ASCII, no colon in the name)', async () => {
    ses.on(SendEmailCommand).resolves({});
    await withNotificationId('R-ABCD-EFGH:evaluation:custodian-1', () => sender().send(schedule));
    const headers = sent()[0]!.Content!.Simple!.Headers!;
    expect(headers.length).toBeGreaterThan(0);
    for (const { Name, Value } of headers) {
      expect(Name).toMatch(/^[\x21-\x39\x3b-\x7e]{1,126}$/);
      expect(Value).toMatch(/^[\x20-\x7e]{1,995}$/);
      expect(Name!.length + Value!.length).toBeLessThanOrEqual(996);
    }
  });

  it('lets SES errors through, so the task fails and is retried (never a silent loss)', async () => {
    const rejected = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
    ses.on(SendEmailCommand).rejects(rejected);
    await expect(sender().send(schedule)).rejects.toMatchObject({ name: 'MessageRejected' });
  });
});

const localSenders: [string, (mailbox: Mailbox, port: number) => EmailSender & { close?(): void }][] = [
  ['the SMTP adapter', (_mailbox, port) => new SmtpEmailSender({ host: '127.0.0.1', port }, FROM)],
  [
    "the mailbox's mail thread (what the local system sends with)",
    (mailbox) => new MailboxEmailSender(mailbox, FROM),
  ],
];

describe.each(localSenders)('the same email through SES and through %s', (_name, makeSender) => {
  const mailbox = new Mailbox();
  let smtp: EmailSender & { close?(): void };
  beforeAll(async () => {
    const port = await mailbox.start(0);
    smtp = makeSender(mailbox, port);
  });
  afterAll(async () => {
    smtp?.close?.();
    await mailbox.stop();
  });

  it('delivers the same sender, recipient, subject, bodies, headers and calendar file', async () => {
    ses.on(SendEmailCommand).resolves({});
    await new SesEmailSender(new SESv2Client({ region: 'eu-north-1' }), FROM, CONFIGURATION_SET).send(
      schedule,
    );
    const viaSes = deliveredBySes(ses.commandCalls(SendEmailCommand)[0]!.args[0].input);

    await withNotificationId('R-ABCD-EFGH:group-schedule', () => smtp.send(schedule));
    // Accepted means recorded: the mailbox holds it the moment the send returns (a crash after cannot lose it).
    const m = mailbox.list().find((x) => x.template === schedule.template)!;
    expect(m).toBeDefined();
    const viaSmtp: Delivered = {
      from: m.from,
      to: m.to,
      subject: m.subject,
      text: m.text.trimEnd(),
      html: m.html,
      template: m.template,
      language: m.language,
      attachments: m.attachments.map((a) => ({
        filename: a.filename,
        mediaType: mediaType(a.contentType),
        content: a.content,
      })),
    };

    expect(viaSes).toEqual(expected(schedule));
    expect(viaSmtp).toEqual(expected(schedule));
    expect(viaSes.attachments[0]!.content).toContain('BEGIN:VCALENDAR');
    // What SES would give back as the send's tag, and the notification's stable Message-ID.
    expect(m.referralId).toBe('R-ABCD-EFGH');
    expect(m.messageId).toBe('<R-ABCD-EFGH:group-schedule.1@bris.example>');
  });

  it("lets the mail server's refusal through, so the task fails and is retried (never a silent loss)", async () => {
    // A mailbox that cannot record (its file's folder is a file): the server answers with an error, the
    // sender sees it, and nothing is kept as if it had arrived.
    const refusing = new Mailbox('/dev/null/mailbox.jsonl');
    const port = await refusing.start(0);
    const sender = makeSender(refusing, port);
    try {
      await expect(sender.send(schedule)).rejects.toThrow();
      expect(refusing.lastId).toBe(0);
    } finally {
      sender.close?.();
      await refusing.stop();
    }
  });
});
