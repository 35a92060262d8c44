// Replaced at build time (tsup `define`) and in tests (vitest `define`) by the version in package.json. Run from
// source anywhere else (`node --conditions=source --import tsx`, as the examples' tests do) nothing replaces it, and
// reading an undeclared name would throw on import: `typeof` does not.
declare const __WAYPOST_VERSION__: string | undefined;

/** This SDK's version, sent in `User-Agent: waypost-node/<version>`. */
export const VERSION: string = typeof __WAYPOST_VERSION__ === 'string' ? __WAYPOST_VERSION__ : '0.0.0-source';
