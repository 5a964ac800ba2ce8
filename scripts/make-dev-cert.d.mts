/** A self-signed PEM certificate and key for localhost, 127.0.0.1 and ::1 (openssl if present, else node:crypto). */
export function makeDevCert(options?: { openssl?: boolean }): { cert: string; key: string };
