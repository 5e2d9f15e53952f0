// Module hooks that let a plain `node` child process run the project's TypeScript sources
// (Node 20 cannot strip types): `.js` imports fall back to the `.ts` file beside them, and
// `.ts` files are transpiled one by one with the project's own TypeScript compiler. The
// output is cached on disk by content hash, so only the first child of a run pays for it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cacheDir = join(tmpdir(), 'churnkit-transpiled');
mkdirSync(cacheDir, { recursive: true });
let typescript;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (relative && specifier.endsWith('.js')) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const cached = join(cacheDir, `${createHash('sha1').update(url).update('\0').update(source).digest('hex')}.js`);
  try {
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  } catch {
    typescript ??= (await import('typescript')).default;
    const { outputText } = typescript.transpileModule(source, {
      fileName: url,
      compilerOptions: { module: typescript.ModuleKind.ESNext, target: typescript.ScriptTarget.ES2022, sourceMap: false },
    });
    // Written aside then renamed: a concurrent reader never sees half a file.
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, outputText);
    renameSync(partial, cached);
    return { format: 'module', source: outputText, shortCircuit: true };
  }
}
