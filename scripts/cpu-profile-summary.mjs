// Summarises V8 CPU profiles (.cpuprofile, e.g. from BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" with
// bench-reminders): main-thread samples, bottom up. A sample counts as one tick (about a millisecond of the main
// thread's CPU), not by its wall-clock delta, which on a loaded machine lands on whatever ran after a pause.
//
// Usage: node scripts/cpu-profile-summary.mjs <file or folder>... [--from <function regex>] [--top N]
// --from: count from the first sample with such a function on its stack (`^fire$`: the reminders' first batch),
// leaving out the process's start.
// Prints per profile: the reminder path's stages (the first that matches the stack), self time by package or Docket
// file, by function, and by the nearest Docket function on the stack (who caused a library's or Node's time).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const top = Number(option('--top', '20'));
const from = option('--from', null);
const inputs = args.filter((arg, index) => !arg.startsWith('--') && !['--top', '--from'].includes(args[index - 1]));
const files = inputs.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => join(path, name))
    : [path],
);

const STAGES = [
  ['letter PDF (pdfkit, fontkit, zlib)', (url) => /pdf\/(letter-pdf|fonts)\.js/.test(url)],
  ['letter text (liquid, context, dates)', (url) => /templating\/(renderer|context|dates)\.js/.test(url)],
  ['files (document store, audit checkpoints)', (url) => /document-store\.js|audit\/src\/checkpoints\.js/.test(url)],
  ['SMTP (nodemailer)', (url) => url.includes('node_modules/nodemailer/')],
  ['database client (typeorm, pg)', (url) => /node_modules\/(typeorm|pg|pg-protocol|pg-pool)\//.test(url)],
  ['queue (bullmq)', (url) => url.includes('node_modules/bullmq/')],
  ['garbage collector', (_url, name) => name === '(garbage collector)'],
];

/** `pkg:<name>` for a dependency, the path under dist/ for Docket's code, Node's module, or `(native)`. */
function placeOf(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return `pkg:${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url || '(native)';
}
const isDocket = (url) => url.includes('/dist/') && !url.includes('node_modules/');
const add = (map, key, ticks) => map.set(key, (map.get(key) ?? 0) + ticks);

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id) => {
    const frames = [];
    for (let current = id; current !== undefined; current = parent.get(current))
      frames.push(nodes.get(current).callFrame);
    return frames;
  };
  let start = 0;
  if (from) {
    const pattern = new RegExp(from);
    start = Math.max(
      0,
      profile.samples.findIndex((id) => stackOf(id).some((frame) => pattern.test(frame.functionName))),
    );
  }
  const ticks = new Map();
  for (const id of profile.samples.slice(start)) add(ticks, id, 1);

  const stages = new Map();
  const places = new Map();
  const functions = new Map();
  const owners = new Map();
  let busy = 0;
  for (const [id, count] of ticks) {
    const frames = stackOf(id);
    const leaf = frames[0];
    if (leaf.functionName === '(idle)') continue;
    busy += count;
    const stage = STAGES.find(([, test]) => frames.some((frame) => test(frame.url, frame.functionName)));
    add(stages, stage?.[0] ?? 'other (Node internals, Docket code, promises)', count);
    add(places, placeOf(leaf.url), count);
    add(functions, `${leaf.functionName || '(anonymous)'} ${placeOf(leaf.url)}:${leaf.lineNumber + 1}`, count);
    const owner = frames.find((frame) => isDocket(frame.url));
    add(
      owners,
      owner
        ? `${owner.functionName || '(anonymous)'} ${placeOf(owner.url)}:${owner.lineNumber + 1}`
        : `(no Docket frame) ${placeOf(leaf.url)}`,
      count,
    );
  }
  const print = (title, map, count) => {
    process.stdout.write(`-- ${title}\n`);
    for (const [key, value] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count))
      process.stdout.write(`${String(value).padStart(8)} ${((100 * value) / busy).toFixed(1).padStart(5)}%  ${key}\n`);
  };
  process.stdout.write(`\n=== ${file}: ${busy} busy ticks${from ? ` from the first sample in /${from}/` : ''}\n`);
  print('stages of the reminder path', stages, STAGES.length + 1);
  print('self time by package or Docket file', places, top);
  print('self time by function', functions, top);
  print('by nearest Docket function on the stack', owners, top);
}
