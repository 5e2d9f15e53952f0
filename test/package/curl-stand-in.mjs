#!/usr/bin/env node
// curl, as far as README's steps use it, on fetch: the README test runs those steps through a
// real shell (its variables, arithmetic and quoting) on a machine that may have no curl. An
// option it does not implement is an error, so a README step that grows one fails the test
// rather than being half-performed. Each exchange is appended to $CURL_LOG as a JSON line
// { method, path, status, body }.
import { appendFileSync } from 'node:fs';

const args = process.argv.slice(2);
const headers = {};
let url;
let data;
let method;
for (let index = 0; index < args.length; index++) {
  const arg = args[index];
  if (arg === '-s' || arg === '--silent') continue;
  if (arg === '-H' || arg === '--header') {
    const header = args[++index] ?? '';
    const colon = header.indexOf(':');
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  } else if (arg === '-d' || arg === '--data') data = args[++index];
  else if (arg === '-X' || arg === '--request') method = args[++index];
  else if (arg.startsWith('-')) {
    process.stderr.write(`curl stand-in: unsupported option ${arg}\n`);
    process.exit(2);
  } else url = arg;
}
if (url === undefined) {
  process.stderr.write('curl stand-in: no URL\n');
  process.exit(2);
}
const target = new URL(/^https?:\/\//.test(url) ? url : `http://${url}`);
// As curl: -d makes a POST, as a form unless a Content-Type header says otherwise.
method ??= data === undefined ? 'GET' : 'POST';
if (data !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
  headers['content-type'] = 'application/x-www-form-urlencoded';
}
try {
  const response = await fetch(target, { method, headers, body: data });
  const body = await response.text();
  process.stdout.write(body);
  appendFileSync(process.env.CURL_LOG, `${JSON.stringify({ method, path: target.pathname, status: response.status, body })}\n`);
} catch (error) {
  process.stderr.write(`curl stand-in: ${error.cause?.message ?? error.message}\n`);
  process.exit(7);
}
