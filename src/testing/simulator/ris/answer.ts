/** An answer of the simulated `/rest/v1` service. */
export interface RisAnswer {
  status: number;
  body: unknown;
  /** Methods the resource accepts (the `allow` header proliantutils reads). */
  allow?: string;
}

/** 200 with a resource body. */
export const ok = (body: unknown, allow = 'GET, HEAD, POST, PATCH'): RisAnswer => ({
  status: 200,
  body,
  allow,
});

/** An ExtendedError answer, as iLO 4 writes them. */
export function error(status: number, messageId: string): RisAnswer {
  return {
    status,
    body: {
      Type: 'ExtendedError.1.0.0',
      Name: 'Extended Error Information',
      Messages: [{ MessageID: messageId }],
    },
  };
}

/** 200 with `Base.0.0.Success`, the answer to a successful PATCH or POST. */
export const success = (): RisAnswer => ({ ...error(200, 'Base.0.0.Success') });
