import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from './document-store.js';

describe('DocumentStore', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'docket-store-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores a file once under its SHA-256, making the folder, and leaves no temporary file', async () => {
    const store = new DocumentStore(dataDir);
    const bytes = Buffer.from('%PDF-1.7 a letter');
    const first = await store.put(bytes);
    const again = await store.put(bytes);
    expect(first).toEqual(again);
    expect(first.sha256).toBe(DocumentStore.sha256(bytes));
    expect(readFileSync(first.path)).toEqual(bytes);
    expect(readdirSync(store.root)).toEqual([`${first.sha256}.pdf`]);
  });

  it('makes the folder again when it was removed while the process ran', async () => {
    const store = new DocumentStore(dataDir);
    await store.put(Buffer.from('first'), 'text/plain');
    rmSync(store.root, { recursive: true });
    const second = await store.put(Buffer.from('second'), 'text/plain');
    expect(readFileSync(second.path, 'utf8')).toBe('second');
    expect(readdirSync(store.root)).toEqual([second.sha256]);
  });
});
