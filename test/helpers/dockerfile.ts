import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's Dockerfile: the tests read it so that they cannot drift from the image. */
export const DOCKERFILE = fileURLToPath(new URL('../../Dockerfile', import.meta.url));

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/**
 * A Dockerfile's build stages, each with its instructions (comments dropped, `\` line
 * continuations joined). Enough of the format for the image's own file, not a full parser:
 * no heredocs, no escape directive.
 */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const [, keyword, args = ''] = /^(\S+)\s*(.*)$/s.exec(whole)!;
    instructions.push({ keyword: keyword!.toUpperCase(), args: args.trim() });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ image: image!, ...(as?.toUpperCase() === 'AS' && { name }), instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

export function readDockerfile(): Stage[] {
  return parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The last instruction of a stage with this keyword (the one that counts for CMD, USER, WORKDIR…). */
export function lastOf(stage: Stage, keyword: string): Instruction | undefined {
  return instructionsOf(stage, keyword).at(-1);
}

/** The variables a stage's `ENV` lines set (`KEY=value …`, values optionally quoted; or `KEY value`). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructionsOf(stage, 'ENV')) {
    if (!/^\S+=/.test(args)) {
      const [key, ...value] = args.split(/\s+/);
      env[key!] = value.join(' ');
      continue;
    }
    for (const [, key, quoted, plain] of args.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) {
      env[key!] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : plain!;
    }
  }
  return env;
}

/** The JSON array of an exec-form `CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD`; throws on the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not an exec-form command: ${args}`);
  return parsed;
}

/** A stage's `HEALTHCHECK`: its `--option=value`s and its exec-form command. */
export function healthcheckOf(stage: Stage): { options: Record<string, string>; command: string[] } | undefined {
  const instruction = lastOf(stage, 'HEALTHCHECK');
  if (!instruction) return undefined;
  const match = /^((?:--\S+\s+)*)CMD\s+(.*)$/s.exec(instruction.args);
  if (!match) throw new Error(`HEALTHCHECK without CMD: ${instruction.args}`);
  const options = Object.fromEntries(match[1]!.trim().split(/\s+/).filter(Boolean).map((o) => o.replace(/^--/, '').split('=') as [string, string]));
  return { options, command: execForm(match[2]!) };
}
