// encodeurl 2.x ships no types: it percent-encodes what may not appear in a URL and keeps existing escapes.
declare module 'encodeurl' {
  export default function encodeUrl(url: string): string;
}
