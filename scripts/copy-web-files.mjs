// The build compiles TypeScript only; the pages' views and assets are copied beside the compiled
// web lib so that dist/ is what `npm start` serves, with nothing read from the source tree.
import { cpSync, rmSync } from 'node:fs';

for (const folder of ['assets', 'views']) {
  rmSync(`dist/libs/web/${folder}`, { recursive: true, force: true });
  cpSync(`libs/web/${folder}`, `dist/libs/web/${folder}`, { recursive: true });
}
