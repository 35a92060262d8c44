/**
 * A 1×1 transparent GIF (43 bytes), the reply of every pixel endpoint. Shared by all requests: send it, never write
 * to it.
 */
export const TRANSPARENT_GIF: Buffer = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
