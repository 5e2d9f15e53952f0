const t0=performance.now(); await import("./dist/bundle/chunks/chunk-BPJUNQLY.js"); console.log("chunk",performance.now()-t0)
