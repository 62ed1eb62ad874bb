import type { webApi } from '@slack/bolt';
import type { ReplyImage } from '../core/reply.ts';

/**
 * Slack's external upload flow (files.upload is retired): ask for an upload URL,
 * POST the bytes to it, then complete the upload into the conversation.
 */
export async function uploadImage(client: webApi.WebClient, channel: string, image: ReplyImage): Promise<string> {
  const url = await client.files.getUploadURLExternal({ filename: image.fileName, length: image.png.length, alt_text: image.title });
  if (!url.upload_url || !url.file_id) throw new Error('files.getUploadURLExternal gave no upload_url');
  const posted = await fetch(url.upload_url, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(image.png) });
  if (!posted.ok) throw new Error(`upload of ${image.fileName} failed: HTTP ${posted.status}`);
  await client.files.completeUploadExternal({ files: [{ id: url.file_id, title: image.title }], channel_id: channel });
  return url.file_id;
}
