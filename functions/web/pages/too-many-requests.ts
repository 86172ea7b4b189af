/**
 * The answer to a client over its per-client limit on a public form (429): in Swedish and English, since
 * it may come before the person chose a language. Says when to try again and that nothing typed is lost:
 * the refused request changed nothing, and the browser's Back button returns to the filled-in form.
 */
import { clockTime } from '../../domain/stockholm-dates';
import { html } from '../html';
import { page } from '../layout';

export function tooManyRequestsPage(retryAfterSeconds: number, now: Date): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const at = clockTime(new Date(now.getTime() + retryAfterSeconds * 1000).toISOString());
  return page({
    title: 'För många försök på kort tid',
    body: html`<h1>För många försök på kort tid</h1>
      <p>
        Vi har fått många förfrågningar från din uppkoppling på kort tid, så den här togs inte emot. Försök
        igen om ${minutes === 1 ? 'en minut' : `${minutes} minuter`} (efter kl. ${at}).
      </p>
      <p>
        <strong>Ingenting av det du skrev har försvunnit.</strong> Gå tillbaka med webbläsarens bakåtknapp, så
        finns formuläret kvar ifyllt. Skicka det igen när tiden har gått.
      </p>
      <div lang="en">
        <h2>Too many attempts in a short time</h2>
        <p>
          We have received many requests from your connection in a short time, so this one was not accepted.
          Please try again in ${minutes === 1 ? 'one minute' : `${minutes} minutes`} (after ${at}, Stockholm
          time).
        </p>
        <p>
          <strong>Nothing you typed has been lost.</strong> Go back with your browser's Back button and the
          form is still filled in. Send it again once the time has passed.
        </p>
      </div>`,
  });
}
