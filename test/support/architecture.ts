import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Facts about the shape of the code, read from the sources as text (no compiler, nothing run): which lib owns
 * which entities and tables, which lib imports what of another, which SQL names which table. Pure but for reading
 * files; the architecture test (test/architecture.spec.ts) states the rules over these facts.
 */

export interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  path: string;
  /** The lib it belongs to (`libs/<lib>/…`), or null outside libs. */
  lib: string | null;
  text: string;
}

const IGNORED = new Set(['node_modules', 'dist', '.git', 'var', 'test-output', 'coverage']);

/** Every file under `dirs` (relative to `root`) whose name passes `keep`. */
export function readSources(root: string, dirs: string[], keep = (path: string) => path.endsWith('.ts')): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (IGNORED.has(name)) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (keep(full)) {
        const path = relative(root, full).split(sep).join('/');
        const lib = /^libs\/([^/]+)\//.exec(path)?.[1] ?? null;
        out.push({ path, lib, text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export const isSpec = (file: SourceFile) => /\.(e2e-)?spec\.ts$/.test(file.path);

/** The code without its comments (strings and line breaks kept), so that prose about a table is not taken for SQL. */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i];
    if (quote) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ''); // line numbers stay those of the file
      i = stop;
    } else {
      if (c === '"' || c === "'" || c === '`') quote = c;
      out += c;
      i++;
    }
  }
  return out;
}

export interface Entity {
  lib: string;
  name: string;
  table: string;
  path: string;
}

/** The TypeORM entities of each lib: the class under `@Entity('table')` / `@Entity({ name: 'table' })`. */
export function entitiesOf(files: SourceFile[]): Entity[] {
  return files.flatMap((file) =>
    file.lib && !isSpec(file)
      ? [...file.text.matchAll(/@Entity\((?:\{\s*name:\s*)?'([a-z_]+)'[^)]*\)[\s\S]*?export class (\w+)/g)].map(
          (match) => ({ lib: file.lib as string, name: match[2], table: match[1], path: file.path }),
        )
      : [],
  );
}

export interface Import {
  path: string;
  lib: string | null;
  /** The lib imported (`#docket/<lib>`), or the path as written for anything else. */
  from: string;
  names: string[];
  line: number;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** The named imports and re-exports of each file. */
export function importsOf(files: SourceFile[]): Import[] {
  return files.flatMap((file) =>
    [
      ...file.text.matchAll(
        /^(?:import|export)\s+(?:type\s+)?(?:\{([^}]*)\}|[\w*\s]+(?:,\s*\{([^}]*)\})?)\s+from\s+'([^']+)'/gm,
      ),
    ].map((match) => {
      const names = `${match[1] ?? ''},${match[2] ?? ''}`
        .split(',')
        .map((name) =>
          name
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0]
            .trim(),
        )
        .filter(Boolean);
      const target = match[3];
      return {
        path: file.path,
        lib: file.lib,
        from: /^#docket\/([^/]+)/.exec(target)?.[1] ?? target,
        names,
        line: lineOf(file.text, match.index ?? 0),
      };
    }),
  );
}

export interface Finding {
  /** `libs/x/src/file.ts:line` */
  at: string;
  /** What crosses the line, e.g. `deadlines → cases: Case` or `campaigns → table responses`. */
  what: string;
}

/** Imports by one lib of an entity another lib owns. */
export function foreignEntityImports(files: SourceFile[], entities: Entity[]): Finding[] {
  const owner = new Map(entities.map((entity) => [entity.name, entity.lib]));
  return importsOf(files.filter((file) => file.lib && !isSpec(file))).flatMap((item) =>
    item.names
      .filter((name) => owner.has(name) && owner.get(name) === item.from && item.from !== item.lib)
      .map((name) => ({ at: `${item.path}:${item.line}`, what: `${item.lib} → ${item.from}: ${name}` })),
  );
}

/** SQL keywords after which a table name stands. Upper case only: prose in messages is lower case. */
const TABLE_AFTER = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|EXISTS|ON)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/g;

/** SQL in one lib that names a table another lib owns. */
export function foreignTablesInSql(files: SourceFile[], entities: Entity[]): Finding[] {
  const owner = new Map(entities.map((entity) => [entity.table, entity.lib]));
  return files
    .filter((file) => file.lib && !isSpec(file))
    .flatMap((file) => {
      const code = withoutComments(file.text);
      const seen = new Set<string>();
      return [...code.matchAll(TABLE_AFTER)].flatMap((match) => {
        const table = match[1];
        const lib = owner.get(table);
        if (!lib || lib === file.lib || seen.has(table)) return [];
        seen.add(table);
        return [
          { at: `${file.path}:${lineOf(code, match.index ?? 0)}`, what: `${file.lib} → table ${table} (${lib})` },
        ];
      });
    });
}

/** SQL keywords after which a table is written to. */
const TABLE_WRITTEN =
  /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/g;

/** SQL in one lib that inserts into, updates, deletes from or truncates a table another lib owns. */
export function foreignTableWrites(files: SourceFile[], entities: Entity[]): Finding[] {
  const owner = new Map(entities.map((entity) => [entity.table, entity.lib]));
  return files
    .filter((file) => file.lib && !isSpec(file))
    .flatMap((file) => {
      const code = withoutComments(file.text);
      return [...code.matchAll(TABLE_WRITTEN)].flatMap((match) => {
        const table = match[1];
        const lib = owner.get(table);
        if (!lib || lib === file.lib) return [];
        return [
          { at: `${file.path}:${lineOf(code, match.index ?? 0)}`, what: `${file.lib} → writes ${table} (${lib})` },
        ];
      });
    });
}

/** Imports by a lib of anything under apps/. */
export function importsFromApps(files: SourceFile[]): Finding[] {
  return importsOf(files.filter((file) => file.lib)).flatMap((item) =>
    /(^|\/)apps\//.test(item.from) ? [{ at: `${item.path}:${item.line}`, what: `${item.lib} → ${item.from}` }] : [],
  );
}

/** The libs with a `@Global()` module. */
export function globalModules(files: SourceFile[]): string[] {
  return [
    ...new Set(files.filter((file) => file.lib && /^@Global\(\)/m.test(withoutComments(file.text))).map((f) => f.lib!)),
  ].sort();
}

/**
 * Hook registries: a class field collecting callbacks for later (a `Map<…, F>` or an `F[]` initialised empty, F a
 * function type written inline or declared as `type F = (…) => …`), filled by whoever calls its `onX`/`add`/`register`
 * method in module-init order. Events go through the event bus (libs/platform/src/events.ts) and queries through
 * extension points (libs/platform/src/extensions.ts) instead.
 */
export function hookRegistries(files: SourceFile[]): Finding[] {
  const code = files
    .filter((file) => file.lib && !isSpec(file))
    .map((file) => ({ file, text: withoutComments(file.text) }));
  const functionTypes = new Set(
    code.flatMap(({ text }) =>
      [...text.matchAll(/\btype\s+(\w+)(?:<[^=]*>)?\s*=\s*\(?\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*=>/g)].map(
        (match) => match[1]!,
      ),
    ),
  );
  const isFunction = (type: string) => type.includes('=>') || functionTypes.has(type.trim().replace(/<.*$/s, ''));
  const field =
    /^[ \t]*(?:(?:private|protected|public)[ \t]+(?:readonly[ \t]+)?|readonly[ \t]+)(\w+)\s*(?::\s*((?:[^=;\n]|=>)+?))?\s*=\s*(?:new Map<([^;\n]*)>\(\)|\[\]);/gm;
  return code.flatMap(({ file, text }) =>
    [...text.matchAll(field)].flatMap((match) => {
      const [, name, declared, map] = match;
      const element = map
        ? map.split(',').slice(1).join(',').trim()
        : declared?.trim().endsWith('[]')
          ? declared
              .trim()
              .slice(0, -2)
              .replace(/^\((.*)\)$/s, '$1')
          : null;
      if (!element || !isFunction(element)) return [];
      const path = file.path.replace(/^libs\/([^/]+)\/src\//, '$1/');
      return [{ at: `${file.path}:${lineOf(text, match.index ?? 0)}`, what: `${path}#${name}: ${element}` }];
    }),
  );
}

/**
 * Transactions opened past the unit of work (`dataSource.transaction(…)`, `manager.transaction(…)`): code inside them
 * is not in the request's transaction context, so a service it calls cannot join them. The unit of work itself and
 * the audit trail's own append (a transaction opened for one entry recorded outside any) are where one is opened.
 */
export function transactionsPastUnitOfWork(files: SourceFile[]): Finding[] {
  const allowed = new Set(['libs/platform/src/unit-of-work.ts']);
  return files
    .filter((file) => file.lib && !isSpec(file) && !allowed.has(file.path))
    .flatMap((file) => {
      const code = withoutComments(file.text);
      return [...code.matchAll(/\b(\w+)\.transaction\(/g)].map((match) => ({
        at: `${file.path}:${lineOf(code, match.index ?? 0)}`,
        what: match[1],
      }));
    });
}

/** Parameters that may be left out and then read outside the caller's transaction. */
export function optionalManagers(files: SourceFile[]): Finding[] {
  return files
    .filter((file) => !isSpec(file))
    .flatMap((file) =>
      [...file.text.matchAll(/\b(\w+)(\?:\s*EntityManager\b|:\s*EntityManager\s*=)/g)].map((match) => ({
        at: `${file.path}:${lineOf(file.text, match.index ?? 0)}`,
        what: match[1],
      })),
    );
}

/** Lines longer than `width` characters. */
export function longLines(files: SourceFile[], width = 160): Finding[] {
  return files.flatMap((file) =>
    file.text
      .split('\n')
      .flatMap((line, index) =>
        line.length > width ? [{ at: `${file.path}:${index + 1}`, what: `${line.length} characters` }] : [],
      ),
  );
}

/**
 * Places that decide on their own whether a deadline is overdue (missed, or pending past its due instant):
 * a `'missed'` status and a `'pending'` one compared with a due instant in the same expression.
 */
export function overdueCopies(files: SourceFile[]): Finding[] {
  const pattern = /status\s*={1,3}\s*'missed'[^;]{0,80}?status\s*={1,3}\s*'pending'[^;]{0,60}?due_?[aA]t/g;
  return files
    .filter((file) => !isSpec(file) && file.path.endsWith('.ts'))
    .flatMap((file) =>
      [...withoutComments(file.text).replace(/\s+/g, ' ').matchAll(pattern)].map(() => ({
        at: file.path,
        what: 'overdue',
      })),
    );
}

/** The entities carrying an `authorityId` (tenant data), each class read on its own in files that hold several. */
export function tenantEntitiesOf(files: SourceFile[], entities: Entity[]): Entity[] {
  return entities.filter((entity) => {
    const text = files.find((file) => file.path === entity.path)?.text ?? '';
    const start = text.indexOf(`export class ${entity.name} `);
    const next = text.indexOf('@Entity(', start);
    return /\bauthorityId[!?]?:/.test(text.slice(start, next === -1 ? undefined : next));
  });
}

/** TypeORM calls taking an entity class first: a repository, a manager's finder or writer, a query builder's target. */
const ENTITY_CALL =
  /\b(?:getRepository|createQueryBuilder|find|findOne|findOneBy|findOneOrFail|findBy|findAndCount|count|countBy|exists|existsBy|save|insert|update|upsert|delete|remove|create|increment|decrement|from|into|innerJoin|leftJoin|innerJoinAndSelect|leftJoinAndSelect|sum|maximum|minimum|average)\(\s*([A-Z]\w*)\b/g;

/** Declarations of class members (two-space indent) and top-level functions and constants; the name is a group. */
function declarations(code: string): RegExpMatchArray[] {
  const modifier = '(?:public|private|protected|static|async|readonly|override)\\s+';
  const declaration = new RegExp(
    [
      `^ {2}(?:${modifier})*(?!(?:if|for|while|switch|return|catch|await|const)\\b)([A-Za-z_]\\w*)\\s*(?:<[^>\\n]*>)?\\(`,
      `^ {2}(?:${modifier})+([A-Za-z_]\\w*)[!?]?\\s*[=:]`,
      '^(?:export\\s+)?(?:async\\s+)?function\\s+(\\w+)',
      '^(?:export\\s+)?const\\s+(\\w+)\\s*=',
    ].join('|'),
    'gm',
  );
  return [...code.matchAll(declaration)];
}

const nameOf = (declaration: RegExpMatchArray | undefined) =>
  declaration ? (declaration.slice(1).find(Boolean) ?? '(module)') : '(module)';

/** The class member or function a line belongs to: the nearest declaration above it. */
function memberAt(code: string, index: number): string {
  return nameOf(declarations(code.slice(0, index)).at(-1));
}

/** Each declaration's name with its text, up to the next declaration. */
function membersOf(code: string): { name: string; index: number; text: string }[] {
  const found = declarations(code);
  return found.map((declaration, i) => ({
    name: nameOf(declaration),
    index: declaration.index ?? 0,
    text: code.slice(declaration.index, found[i + 1]?.index ?? code.length),
  }));
}

/** Reaching the table past the scope, inside a TenantRepository: the raw repository, the data source, a manager. */
const RAW_ACCESS = /\bthis\.repo\(\)|\bthis\.dataSource\b|\bactiveTransaction\(|\bmanager\.(?:query|getRepository)\(/;

/** What puts the caller's authority into a query of a TenantRepository. */
const SCOPE_MARK = /\bthis\.(?:scoped|query|save|insertNew|inboxWhere)\(|\bRequestContext\.authorityId\(\)/;

/**
 * Members of a `TenantRepository` that reach their table past the scope (the raw repository, the data source or a
 * manager) without ever naming the caller's authority: a repository is trusted as scoped, so a method reading across
 * authorities there would pass `unscopedTenantAccess` unseen. `what` is `lib/file.ts#member: past the scope`.
 */
export function unscopedInTenantRepositories(files: SourceFile[]): Finding[] {
  return files
    .filter((file) => file.lib && !isSpec(file) && /\bextends TenantRepository</.test(file.text))
    .flatMap((file) => {
      const code = withoutComments(file.text);
      const where = file.path.replace(/^libs\//, '').replace('/src/', '/');
      return membersOf(code)
        .filter((member) => RAW_ACCESS.test(member.text) && !SCOPE_MARK.test(member.text))
        .map((member) => ({
          at: `${file.path}:${lineOf(code, member.index)}`,
          what: `${where}#${member.name}: past the scope`,
        }));
    });
}

/**
 * Reads and writes of tenant data that do not go through a scoped repository (a class extending
 * `TenantRepository`, whose every query carries the caller's authority): a tenant entity handed to TypeORM
 * directly, or a tenant table named in SQL. `what` is `lib/file.ts#member: Entity` (or `table name`).
 */
export function unscopedTenantAccess(files: SourceFile[], tenant: Entity[]): Finding[] {
  const byName = new Map(tenant.map((entity) => [entity.name, entity]));
  const byTable = new Map(tenant.map((entity) => [entity.table, entity]));
  return files
    .filter((file) => file.lib && !isSpec(file) && !/\bextends TenantRepository</.test(file.text))
    .flatMap((file) => {
      const code = withoutComments(file.text);
      const where = (index: number) =>
        `${file.path.replace(/^libs\//, '').replace('/src/', '/')}#${memberAt(code, index)}`;
      const calls = [...code.matchAll(ENTITY_CALL)]
        .filter((match) => byName.has(match[1]))
        .map((match) => ({ index: match.index ?? 0, what: `${where(match.index ?? 0)}: ${match[1]}` }));
      const sql = [...code.matchAll(TABLE_AFTER)]
        .filter((match) => byTable.has(match[1]))
        .map((match) => ({ index: match.index ?? 0, what: `${where(match.index ?? 0)}: table ${match[1]}` }));
      return [...calls, ...sql].map(({ index, what }) => ({ at: `${file.path}:${lineOf(code, index)}`, what }));
    });
}

/** Files of the HTTP edge by their names: controllers, guards, filters, pipes, interceptors, middleware and pages. */
export const isHttpEdge = (path: string): boolean =>
  /\.(controllers?|guard|filter|pipe|interceptor|middleware|pages?)\.ts$/.test(path) || /\/src\/pages\//.test(path);

/** The platform's HTTP exceptions that answer with a problem (libs/platform/src/problem.ts). */
const PROBLEM_EXCEPTIONS = ['ProblemException', 'CatalogueProblem', 'DomainProblem'];

/**
 * HTTP exceptions outside the HTTP edge: a Nest exception (`…Exception`), one of the platform's problem exceptions or a
 * class extending any of them (wherever it is declared), made (`new X(`) or declared (`class X extends …`) in a lib
 * file the names of which do not make it part of the edge (isHttpEdge). Services refuse with domain errors instead
 * (libs/platform/src/domain-errors.ts). `what` is `lib/file.ts: X`, once per file and class.
 */
export function httpExceptionsPastTheEdge(files: SourceFile[]): Finding[] {
  const code = files
    .filter((file) => file.lib && !isSpec(file))
    .map((file) => ({ file, text: withoutComments(file.text) }));
  const declarations = code.flatMap(({ text }) =>
    [...text.matchAll(/\bclass\s+(\w+)\s+extends\s+(\w+)/g)].map((match) => ({ name: match[1]!, base: match[2]! })),
  );
  const classes = new Set(PROBLEM_EXCEPTIONS);
  const isHttp = (name: string) => /Exception$/.test(name) || classes.has(name);
  for (let grown = true; grown;) {
    grown = false;
    for (const { name, base } of declarations)
      if (!classes.has(name) && isHttp(base)) {
        classes.add(name);
        grown = true;
      }
  }
  return code
    .filter(({ file }) => !isHttpEdge(file.path))
    .flatMap(({ file, text }) => {
      const where = file.path.replace(/^libs\//, '').replace('/src/', '/');
      const seen = new Set<string>();
      return [...text.matchAll(/\bnew\s+([A-Z]\w*)\s*\(|\bclass\s+(\w+)\s+extends\s+(\w+)/g)].flatMap((match) => {
        const name = match[1] ?? match[2]!;
        if (!isHttp(match[1] ?? match[3]!) || seen.has(name)) return [];
        seen.add(name);
        return [{ at: `${file.path}:${lineOf(text, match.index ?? 0)}`, what: `${where}: ${name}` }];
      });
    });
}
