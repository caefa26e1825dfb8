// The build compiles TypeScript only; the pages' views and assets, and the interface's message catalogues, are
// copied beside the compiled libs so that dist/ is what `npm start` serves, with nothing read from the source tree.
import { cpSync, rmSync } from 'node:fs';

for (const folder of ['libs/web/assets', 'libs/web/views', 'libs/i18n/catalogues']) {
  rmSync(`dist/${folder}`, { recursive: true, force: true });
  cpSync(folder, `dist/${folder}`, { recursive: true });
}
