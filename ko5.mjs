const t0 = performance.now();
await import('/tmp/empty.mjs');
const t1 = performance.now();
await import(process.argv[2]);
console.log((t1-t0).toFixed(2), (performance.now()-t1).toFixed(2));
