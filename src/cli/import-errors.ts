import { en, t, type Locale, type MessageKey } from '../i18n/index.ts';

/**
 * The importer's problems in the operator's language. The importer reports each as an
 * English line (`line 3, column tier: "gold" is not one of …`); its reasons are the
 * `import.problem.*` messages of the English catalog, so each line is matched against
 * them and rebuilt from the same key and values in the other language: the values
 * (the file's cells, column names, lists of ids) stay as the file and the code have
 * them. A line no message matches is shown as it is, never dropped.
 */
export function translateImportProblem(locale: Locale, problem: string): string {
  if (locale === 'en') return problem;
  // (`line 1line 1, …`: a header problem as the importer words it today, its line said twice.)
  const at = /^line (\d+)(?:line \d+)?(?:, column (.*?))?: (.*)$/s.exec(problem);
  if (!at) return problem;
  const [, line, column, reason] = at;
  const translated = translateReason(locale, reason!);
  if (translated === undefined) return problem;
  return column === undefined ? t(locale, 'import.at_line', { line: line!, reason: translated }) : t(locale, 'import.at_cell', { line: line!, column, reason: translated });
}

const PROBLEMS = (Object.keys(en) as MessageKey[])
  .filter((key) => key.startsWith('import.problem.'))
  .map((key) => {
    const names = [...en[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const source = en[key].split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)');
    return { key, names, pattern: new RegExp(`^${source}$`, 's') };
  });

function translateReason(locale: Locale, reason: string): string | undefined {
  for (const { key, names, pattern } of PROBLEMS) {
    const match = pattern.exec(reason);
    if (match) return t(locale, key, Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])));
  }
  return undefined;
}
