// Client envelopes (issue 8): output formats, the list filter, sessions ended, raw bytes in the address.
export const CLIENT: Readonly<Record<string, string>> = {
  // src/protocol/params.ts
  'expected one of {0}': 'ожидается одно из: {0}',
};
