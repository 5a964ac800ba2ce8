/** What bench:api captured of one of our answers, for the limit server (limit-server.ts) to replay. */
export interface Captured {
  etag: string;
  body: string;
  headers: Record<string, string>;
  notModifiedHeaders: Record<string, string>;
}

/** Which of bench:api's ways a request is, from its headers. */
export const modeOf = (headers: { origin?: string; 'accept-encoding'?: string }) =>
  headers['accept-encoding'] ? 'compressed' : headers.origin ? 'origin' : 'plain';
