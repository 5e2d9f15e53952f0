const t0 = performance.now();
await import('churnkit');
console.log(performance.now()-t0);
