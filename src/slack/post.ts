import { webApi } from '@slack/bolt';
import type { Config } from '../config.ts';
import type { Reply } from '../core/reply.ts';
import type { Poster, PostProgress } from '../core/outbox.ts';
import { createLogger, type Logger } from '../log.ts';
import { replyBlocks, replyText } from './blocks.ts';
import { LIMITS } from './limits.ts';
import { deliverImage } from './upload.ts';

/**
 * Posts scheduled messages with the bot token. A reply longer than Slack's 50 blocks
 * goes as several messages, in order; a 429 is retried after its Retry-After by the
 * Web API client.
 */
export type SlackClient = webApi.WebClient;

export function createSlackPoster(config: Config, client?: SlackClient, log: Logger = createLogger(config.logLevel)): Poster {
  const { botToken, apiUrl } = config.slack;
  // Its own client (mcr digest run) logs only errors; the bot passes Bolt's, which logs through ours.
  const web = client ?? new webApi.WebClient(botToken, { logLevel: webApi.LogLevel.ERROR, ...(apiUrl && { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` }) });
  const post = async (channel: string, reply: Reply, progress?: PostProgress) => {
    const blocks = replyBlocks(reply, { maxBlocks: Number.POSITIVE_INFINITY });
    const text = replyText(reply);
    const parts = Math.ceil(blocks.length / LIMITS.messageBlocks);
    for (let part = progress?.sent ?? 0; part < parts; part++) {
      await web.chat.postMessage({ channel, text, blocks: blocks.slice(part * LIMITS.messageBlocks, (part + 1) * LIMITS.messageBlocks), unfurl_links: false });
      await progress?.onSent(part + 1);
    }
    return parts;
  };
  return {
    toChannel: post,
    toPerson: async (person, reply) => {
      if (!person.slackId) return false;
      // A user id as the channel opens (or reuses) the direct message with the bot.
      await post(person.slackId, reply);
      // A brief's power map follows into that DM, as it does for a brief typed there; a failed
      // upload is logged and the message stands (it was sent: a retry must not send it again).
      if (reply.image) await deliverImage(web, log, reply.image, { userId: person.slackId });
      return true;
    },
  };
}
