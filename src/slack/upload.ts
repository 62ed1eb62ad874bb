import type { RespondFn, webApi } from '@slack/bolt';
import type { Context } from '../core/command.ts';
import { imageErrorReply } from '../core/dispatch.ts';
import type { Logger } from '../log.ts';
import type { ReplyImage } from '../core/reply.ts';
import { ephemeralMessage, postForUser } from './reply.ts';

/**
 * Slack's external upload flow (files.upload is retired): ask for an upload URL,
 * POST the bytes to it, then complete the upload, shared into `channel` or, without
 * one, private to the bot ("If not specified the file will be private",
 * docs.slack.dev files.completeUploadExternal).
 */
export async function uploadImage(client: webApi.WebClient, channel: string | undefined, image: ReplyImage, png: Buffer): Promise<string> {
  const url = await client.files.getUploadURLExternal({ filename: image.fileName, length: png.length, alt_text: image.title });
  if (!url.upload_url || !url.file_id) throw new Error('files.getUploadURLExternal gave no upload_url');
  const posted = await fetch(url.upload_url, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) });
  if (!posted.ok) throw new Error(`upload of ${image.fileName} failed: HTTP ${posted.status}`);
  await client.files.completeUploadExternal({ files: [{ id: url.file_id, title: image.title }], ...(channel && { channel_id: channel }) });
  return url.file_id;
}

export interface ImagePlace {
  /** Who asked: the picture goes to them only. */
  userId: string;
  /** Where they asked: a channel (C…/G…), a direct message (D…), or none (the Home tab). */
  channel?: string;
  /** The response_url of a slash command or button: an ephemeral message only the asker sees. */
  respond?: RespondFn;
  /** The asker's context, to tell them when the picture could not be drawn now (none: logged only). */
  ctx?: Context;
}

/**
 * Sends a reply's picture (the power map) to the one who asked, after their text answer
 * (it is rendered here, never before Slack's 3-second ack). The picture has real people's
 * names and attitudes, so it is never shared into a channel:
 * - in a channel: uploaded private (no channel_id) and shown in an ephemeral message by
 *   an image block's `slack_file: {id}` (docs.slack.dev "Slack file object": the poster
 *   must have access to the file; the bot uploaded it);
 * - in a direct message: uploaded into that conversation;
 * - from the Home tab (no conversation): into the user's direct message with the bot
 *   (conversations.open).
 * A picture refused for now (`map.busy`) is said, with a button to ask again, where the answer
 * went; any other failure is logged, the text answer having gone already.
 */
export async function deliverImage(client: webApi.WebClient, log: Logger, image: ReplyImage, place: ImagePlace): Promise<void> {
  try {
    const png = await image.png();
    if (place.channel && !place.channel.startsWith('D') && place.respond) {
      const id = await uploadImage(client, undefined, image, png);
      await place.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: image.title,
        blocks: [{ type: 'image', slack_file: { id }, alt_text: image.title, title: { type: 'plain_text', text: image.title } }],
      });
      return;
    }
    let channel = place.channel?.startsWith('D') ? place.channel : undefined;
    if (!channel) {
      const opened = await client.conversations.open({ users: place.userId });
      channel = opened.channel?.id;
      if (!channel) throw new Error('conversations.open gave no channel');
    }
    await uploadImage(client, channel, image, png);
  } catch (error) {
    const notice = place.ctx && imageErrorReply(place.ctx, image, error);
    if (!notice) return void log.warn('image upload failed', { error });
    log.info('image not drawn now', { error: (error as Error).message });
    if (place.respond) await place.respond({ ...ephemeralMessage(place.ctx!, notice), replace_original: false }).catch((failure: unknown) => log.warn('image refusal not sent', { error: failure }));
    else await postForUser(client, place.ctx!, place.userId, place.channel, notice).catch((failure: unknown) => log.warn('image refusal not sent', { error: failure }));
  }
}
