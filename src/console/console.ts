import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Context } from '../core/command.ts';
import { contextFor, type AppDeps } from '../core/context.ts';
import { runLine, submitForm } from '../core/dispatch.ts';
import { writePrivateFile } from '../core/private-file.ts';
import { lookupOptions } from '../core/options.ts';
import { resolveOperator } from '../core/operator.ts';
import type { Action, Form, FormField, FormValue, FormValues } from '../core/reply.ts';
import { joinList, labelled, t, withNote, type Locale } from '../i18n/index.ts';
import { completeLine } from './complete.ts';
import { columnsOf, forTerminal, renderText } from './render-text.ts';

class Cancelled extends Error {}

/**
 * The local console (Hubot's shell adapter): the chat commands typed as text and
 * answered as text, forms asked field by field. The operator at the console is the
 * local admin. Reads lines from `input` (a terminal, or a pipe in tests).
 */
export async function runConsole(deps: AppDeps, io: { input: Readable; output: Writable }, options: { locale?: Locale } = {}): Promise<void> {
  const terminal = 'isTTY' in io.input && (io.input as NodeJS.ReadStream).isTTY === true;
  // On a terminal, Tab completes commands, flags and their values from the commands' grammars.
  const rl = createInterface({ input: io.input, output: terminal ? io.output : undefined, terminal, ...(terminal && { completer: (line: string) => completeLine(deps.commands, line) }) });
  const lines = rl[Symbol.asyncIterator]();
  // Whatever is printed is made safe for a terminal (render-text.ts): names, options and echoed answers too.
  const write = (text: string) => io.output.write(`${forTerminal(text)}\n`);
  const read = async (prompt: string): Promise<string | null> => {
    io.output.write(forTerminal(prompt));
    const next = await lines.next();
    if (next.done) return null;
    // A piped session echoes the answers, so its transcript reads like a terminal's.
    if (!terminal) io.output.write(`${forTerminal(next.value)}\n`);
    return next.value;
  };

  const { person: actor, hint } = await resolveOperator(deps, new Date());
  // A new context, so a new request id, for every line typed.
  const context = () => contextFor(deps, actor, { isAdmin: true, via: 'console', ...(options.locale && { locale: options.locale }) });
  const L = context().locale;
  write(t(L, 'console.welcome', { db: deps.config.databaseUrl, language: L }));
  // Once a session: who the console acts as when MCR_OPERATOR does not say.
  if (hint) write(t(L, 'operator.hint', { user: hint.user }));

  let actions: Action[] = [];
  for (;;) {
    const line = await read('mcr> ');
    if (line === null || /^(exit|quit|bye)$/i.test(line.trim())) break;
    if (!line.trim()) continue;
    const picked = /^\d+$/.test(line.trim()) ? actions[Number(line.trim()) - 1] : undefined;
    const ctx = context();
    let reply = await runLine(ctx, picked ? picked.command : line);
    try {
      while (reply.form) {
        if (reply.blocks.length > 0) write(renderText({ ...reply, form: undefined }, [], { width: columnsOf(io.output), locale: ctx.locale }));
        const values = await askForm(ctx, reply.form, read, write);
        reply = await submitForm(ctx, reply.form.id, values, reply.form.context);
      }
    } catch (error) {
      if (!(error instanceof Cancelled)) throw error;
      write(t(L, 'console.cancelled'));
      continue;
    }
    actions = [];
    write(renderText(reply, actions, { width: columnsOf(io.output), locale: ctx.locale }));
    // The brief's power map: drawn after the text is shown, into a private file (mode 0600).
    if (reply.image) {
      const file = await writePrivateFile(reply.image.fileName, await reply.image.png()).catch((error: unknown) => ctx.log.warn('power map not written', { error }));
      if (file) write(t(L, 'brief.map_file', { file }));
    }
  }
  write(t(L, 'console.bye'));
  rl.close();
}

type Read = (prompt: string) => Promise<string | null>;

/** Asks a form's fields one by one; after a failed submit, only the fields with messages. */
async function askForm(ctx: Context, form: Form, read: Read, write: (text: string) => void): Promise<FormValues> {
  const values: FormValues = { ...form.values };
  const errors = Object.keys(form.errors);
  if (errors.length === 0) {
    write(`\n${form.title}`);
    for (const field of form.fields) {
      if (field.kind === 'lookup' && field.source === 'account' && values[field.id]) continue;
      values[field.id] = field.kind === 'rows' ? await askRows(ctx, field, read) : await askField(ctx, field, values, read, write);
    }
    return values;
  }
  write(t(ctx.locale, 'console.fix'));
  for (const path of errors) {
    const [id, row, sub] = path.split('.');
    const field = form.fields.find((f) => f.id === id);
    if (!field) continue;
    if (field.kind === 'rows' && row !== undefined && sub !== undefined) {
      // Just the one cell of one row: "Next step 1 · Due".
      const rows = (Array.isArray(values[id!]) ? [...(values[id!] as Array<Record<string, string>>)] : []).map((r) => ({ ...r }));
      const cell = field.fields.find((f) => f.id === sub);
      if (!cell || !rows[Number(row)]) continue;
      const answer = await askField(ctx, { ...cell, label: `${field.label} ${Number(row) + 1} · ${cell.label}` }, rows[Number(row)]!, read, write);
      rows[Number(row)]![sub] = typeof answer === 'string' ? answer : '';
      values[id!] = rows;
    } else {
      values[field.id] = field.kind === 'rows' ? await askRows(ctx, field, read) : await askField(ctx, field, values, read, write);
    }
  }
  return values;
}

async function askRows(ctx: Context, field: Extract<FormField, { kind: 'rows' }>, read: Read): Promise<FormValue> {
  const rows: Array<Record<string, string>> = [];
  while (rows.length < field.maxRows) {
    const row: Record<string, string> = {};
    for (const [i, sub] of field.fields.entries()) {
      // Chinese prompts end in full-width marks: 下一步 1（回车结束）：
      const prompt = i === 0 ? labelled(ctx.locale, t(ctx.locale, 'console.more_rows', { label: `${field.label} ${rows.length + 1}` }), '') : `  ${labelled(ctx.locale, sub.required ? sub.label : withNote(ctx.locale, sub.label, t(ctx.locale, 'console.optional')), '')}`;
      const answer = await read(prompt);
      if (answer === null || /^cancel$/i.test(answer.trim())) throw new Cancelled();
      if (i === 0 && !answer.trim()) return rows;
      row[sub.id] = answer.trim();
    }
    rows.push(row);
  }
  return rows;
}

async function askField(ctx: Context, field: FormField, values: FormValues, read: Read, write: (text: string) => void): Promise<FormValue | undefined> {
  const L = ctx.locale;
  const current = values[field.id];
  const choices = field.kind === 'choice' || field.kind === 'multichoice' ? field.options : field.kind === 'lookup' ? await lookupOptions(ctx, field, '', values) : [];
  // Accounts and people are typed by name; a contact is picked from the chosen account's list.
  const listed = field.kind === 'lookup' && field.source !== 'contact' ? [] : choices;
  // Numbered as the buttons are: `[1]` (no ASCII mark beside a Chinese label).
  if (listed.length > 0) write(listed.map((o, i) => `  [${i + 1}] ${o.label}`).join('\n'));
  const labelOf = (value: string) => choices.find((o) => o.value === value)?.label ?? value;
  const shown = typeof current === 'string' ? labelOf(current) : Array.isArray(current) && current.length > 0 ? joinList(L, current.map((v) => (typeof v === 'string' ? labelOf(v) : ''))) : '';
  const notes = [field.hint, shown ? t(L, 'console.default', { value: shown }) : field.required ? '' : t(L, 'console.optional')].filter(Boolean).join(t(L, 'format.parts_separator'));
  const answer = await read(labelled(L, notes ? withNote(L, field.label, notes) : field.label, ''));
  if (answer === null || /^cancel$/i.test(answer.trim())) throw new Cancelled();
  const text = answer.trim();
  if (!text) return current;
  const multiple = field.kind === 'multichoice' || (field.kind === 'lookup' && field.multiple);
  const pick = (word: string) => (/^\d+$/.test(word) && listed[Number(word) - 1] ? listed[Number(word) - 1]!.value : word);
  return multiple ? text.split(/[,;，；、]/).map((w) => pick(w.trim())).filter(Boolean) : pick(text);
}
