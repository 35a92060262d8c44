import { config } from 'zod/v4/core';

// zod compiles fast parsers with `new Function` once it finds eval allowed, and finding out (when a schema is built, at
// import) breaks the CSP (script-src 'self', no 'unsafe-eval') with a violation report. The console's forms are small:
// the interpreter is fast enough. main.tsx imports this module first, before any schema is built.
config({ jitless: true });
