// `node --import ./record-imports.mjs <script>`: appends the URL of every module the script
// imports to the file named by CHURNKIT_IMPORT_LOG (what the CLI's lazy loading is tested by).
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.CHURNKIT_IMPORT_LOG, resolved.url + '\\n');
  return resolved;
}
`));
