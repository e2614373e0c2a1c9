/**
 * A story without a headline (the Dow Jones text sample) alerts with a real title: its lead sentence, cut on a
 * word boundary with one ellipsis, in the e-mail subject and heading, the SMS and the topic message.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/core/alerts/render-email.ts';
import { renderSms } from '../../../functions/core/alerts/render-sms.ts';
import { renderTopicMessage } from '../../../functions/core/alerts/render-sns.ts';
import { fitsOneSegment } from '../../../functions/core/alerts/sms-encoding.ts';
import { decodeDeliveryMessage, encodeDeliveryMessages } from '../../../functions/core/deliveries/codec.ts';
import { planDeliveries } from '../../../functions/core/deliveries/plan.ts';
import { jobsOf, type StoryAlerts } from '../../../functions/core/deliveries/types.ts';
import { compileSubscriptions } from '../../../functions/core/matching/index.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import { exampleSubscriptions } from '../../../local/seed.ts';

const TITLE = 'The interior ministry said on Saturday it would publish deportation figures every month from…';

function plannedAlerts(sample = 'dowjones.txt'): StoryAlerts {
  const story = parseStory(readFileSync(new URL(`../../../samples/${sample}`, import.meta.url)));
  if (sample === 'dowjones.txt') expect(story.headline).toBe('');
  const subscriptions = exampleSubscriptions(new Date('2026-12-05T00:00:00Z'));
  const { index } = compileSubscriptions(subscriptions);
  const { story: alertStory, matches } = planDeliveries(
    story,
    index,
    new Map(subscriptions.map((s) => [s.id, s])),
  );
  return { story: alertStory, matches };
}

function plannedJobs(sample = 'dowjones.txt') {
  const jobs = jobsOf(plannedAlerts(sample));
  const of = (channel: string) => {
    const job = jobs.find((candidate) => candidate.channel === channel);
    if (job === undefined) throw new Error(`no ${channel} job planned`);
    return job;
  };
  return { email: of('email'), sms: of('sms'), sns: of('sns') };
}

describe('alerts for a story without a headline', () => {
  const links = { publicBaseUrl: 'http://127.0.0.1:8080', signingSecret: 'x'.repeat(32) };

  it('e-mail: the lead sentence is the subject and the heading, with one ellipsis', () => {
    const mail = renderEmail(plannedJobs().email, links);
    expect(mail.subject).toBe(`[Wirewatch] Deportation: ${TITLE}`);
    expect(mail.html).toContain(`<h1 style="margin:0 0 8px;font-size:20px;line-height:1.3">${TITLE}</h1>`);
    expect(mail.html).toMatch(/<mark style="[^"]+">deportation<\/mark>/);
    expect(mail.html).toContain(
      'Why you got this: your alert <strong>Deportation</strong> matched <em>deportation</em> in the summary and body.',
    );
    expect(mail.text.split('\n')).toContain(TITLE);
    expect(mail.text).toContain(
      'Why you got this: your alert "Deportation" matched deportation in the summary and body.',
    );
    expect(mail.subject.match(/…|\.\.\./g)).toHaveLength(1);
    // Byline, dateline, source and time under the title.
    expect(mail.html).toContain('By Erik Sample · SAMPLE CITY · Dow Jones Newswires · 2026-12-05 17:45 UTC');
  });

  it('e-mail of a flash story: FLASH in the subject, a badge over the title, and in the text', () => {
    const job = plannedJobs('anpa.tst').email;
    const mail = renderEmail(job, links);
    expect(mail.subject).toBe('[Wirewatch] FLASH Deportation: Court halts deportation of 40 workers');
    expect(mail.html).toMatch(/<span style="[^"]*background-color:#b3261e[^"]*">FLASH<\/span>/);
    expect(mail.text.split('\n')).toContain('FLASH: Court halts deportation of 40 workers');
  });

  it('SMS: subscription, matched term, source, time and the title, in one segment', () => {
    const text = renderSms(plannedJobs().sms);
    expect(text).toMatch(
      /^Wirewatch: Deportation "deportation", Dow Jones Newswires 17:45 UTC: The interior ministry said on Saturday .*\.\.\.$/,
    );
    expect(fitsOneSegment(text)).toBe(true);
  });

  it('topic message: the title as the headline', () => {
    expect(JSON.parse(renderTopicMessage(plannedJobs().sns).message).story.headline).toBe(TITLE);
  });
});

describe('where the terms matched survives the deliveries queue', () => {
  it('round-trips matchedFields through a deliveries message, and reads messages without it', () => {
    const { email } = plannedJobs();
    expect(email.matchedFields).toEqual(['summary', 'body']);
    const [body = ''] = encodeDeliveryMessages(plannedAlerts());
    expect(jobsOf(decodeDeliveryMessage(body))[0]?.matchedFields).toEqual(['summary', 'body']);
    const old = JSON.parse(body) as { matches: { matchedFields?: unknown }[] };
    for (const match of old.matches) delete match.matchedFields;
    expect(jobsOf(decodeDeliveryMessage(JSON.stringify(old)))[0]?.matchedFields).toBeUndefined();
  });
});
