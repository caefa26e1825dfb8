// Renders every template × locale with sample data for review.
// Build and run:  npx swc libs/correspondence scripts -d dist --config-file .swcrc -q && node
// dist/scripts/render-templates.js [templatesDir] [outDir]
import { resolve } from 'node:path';
import { renderAllTemplates } from '../libs/correspondence/src/templating/render-all.js';

const [templatesDir = 'templates', outDir = 'var/template-preview'] = process.argv.slice(2);
const result = await renderAllTemplates(resolve(templatesDir), resolve(outDir));
console.log(`${result.letters} letters written to ${resolve(outDir)} (open index.html)`);
