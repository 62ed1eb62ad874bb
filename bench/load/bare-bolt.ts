import { createServer } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

/**
 * The yardstick of `npm run bench -- --load`: a Bolt app with the bot's receiver (HTTP,
 * signed requests on `/slack/events`, the same signing secret) that acks every request the
 * load sends and does nothing else. What the bot's ack costs beyond Bolt's own is the
 * difference between the two under the same load. Started by the bench as its own process:
 *
 *   node --import tsx bench/load/bare-bolt.ts   (PORT, SLACK_SIGNING_SECRET, SLACK_API_URL)
 */
const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET!, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
// Bolt asks auth.test for the token, as for the bot: of the bench's stand-in for Slack.
const app = new App({ token: 'xoxb-bare', receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
for (const command of ['/brief', '/tier']) app.command(command, async ({ ack }) => ack());
app.view(/.*/, async ({ ack }) => ack());
app.event('app_home_opened', async () => undefined);
const server = createServer((req, res) => {
  if (req.url?.startsWith('/readyz')) return void res.writeHead(200).end('{"status":"ready"}');
  receiver.requestListener(req, res);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
