// Replaced at build time (tsup `define`) and in tests (vitest `define`) by the version in package.json.
declare const __WAYPOST_VERSION__: string;

/** This SDK's version, sent in `User-Agent: waypost-node/<version>`. */
export const VERSION: string = __WAYPOST_VERSION__;
