/**
 * Pure helpers of the public tracking endpoints (README, Tracking endpoints): no I/O, no Express. Routes parse a
 * request with these and hand the result to the domain.
 */
export { toCsv } from './csv.js';
export type { CsvColumn } from './csv.js';
export { readCookie, serializeCookie } from './cookies.js';
export type { SerializeCookieOptions } from './cookies.js';
export { deviceFromUserAgent, visitDevice } from './device.js';
export { TRANSPARENT_GIF } from './gif.js';
export { ipAllowed, isIpRule, truncateIp } from './ip.js';
export { appendQueryParam, expandMacros, expandUrl, MACRO_NAMES } from './macros.js';
export type { ExpandMacrosOptions, MacroName, MacroValues } from './macros.js';
export { corsHeaders, originAllowed } from './origins.js';
export { MAX_PARAM_LENGTH, normalizeConversionParams, redactParams } from './params.js';
export type { CanonicalParam, ConversionParams, ConversionParamsError, NormalizeConversionParamsResult } from './params.js';
